namespace RemoltBlazor.Web.Auth;

/// <summary>A provider vouched for someone this server does not let in (not allowed, disabled); the message is shown to them.</summary>
internal sealed class SignInRefusedException(string message) : Exception(message);
