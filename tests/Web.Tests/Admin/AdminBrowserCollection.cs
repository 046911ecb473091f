namespace RemoltBlazor.Web.Tests.Admin;

/// <summary>One app (and its sandboxes) for all admin browser tests; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class AdminBrowserCollection : ICollectionFixture<AdminAppFixture>
{
    public const string Name = "admin-browser";
}
