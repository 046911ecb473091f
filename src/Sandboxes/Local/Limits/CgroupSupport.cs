namespace RemoltBlazor.Sandboxes.Local.Limits;

/// <summary>
/// What the host lets the local runtime enforce. <paramref name="Mechanism"/> is "systemd", "cgroup2", "cgroup1" or
/// "none"; <paramref name="Detail"/> says what is enforced and where, or why nothing is (for the log, /health and the
/// admin page).
/// </summary>
internal sealed record CgroupSupport(bool Enforced, string Mechanism, string Detail);
