namespace RemoltBlazor.Data.Backup;

/// <summary>What a restore did: the backup's manifest, and where the previous files were kept.</summary>
public sealed record RestoreResult(BackupManifest Manifest, string Database, string? KeptDatabase, string? KeptKeys, bool AdoptedInstance);
