using RemoltBlazor.Sandboxes.Sessions;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>How the workspace words why a session ended or is about to.</summary>
public static class SessionEndText
{
    public static string For(string reason) => reason switch
    {
        "user" => "ended by you",
        "idle" => "idle for too long",
        "lifetime" => "it reached its maximum lifetime",
        "sandbox_exited" => "its sandbox stopped",
        "lost" => "its sandbox was lost while the server was down",
        _ => reason,
    };

    public static string Warning(SessionEndingSoon notice, DateTimeOffset now)
    {
        var left = notice.Deadline - now;
        var when = left <= TimeSpan.FromMinutes(1) ? "in less than a minute" : $"in about {Math.Ceiling(left.TotalMinutes):0} minutes";
        return notice.Reason == "lifetime"
            ? $"This session reaches its maximum lifetime and ends {when}."
            : $"Nothing has happened in this session for a while: it will be ended {when}.";
    }
}
