using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using RemoltBlazor.Data.Entities;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Data.Users;

namespace RemoltBlazor.Data;

/// <summary>The app's SQLite store. Used through <see cref="IDbContextFactory{TContext}"/>, one context per operation.</summary>
public sealed class RemoltDbContext(DbContextOptions<RemoltDbContext> options) : DbContext(options)
{
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    public DbSet<EventRecord> Events => Set<EventRecord>();

    public DbSet<WarmSandboxRecord> WarmSandboxes => Set<WarmSandboxRecord>();

    public DbSet<StoredKeyRecord> StoredKeys => Set<StoredKeyRecord>();

    public DbSet<AccessTokenRecord> AccessTokens => Set<AccessTokenRecord>();

    public DbSet<UserRecord> Users => Set<UserRecord>();

    public DbSet<SignInSessionRecord> SignInSessions => Set<SignInSessionRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset columns; store UTC ticks, which sort correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SessionRecord>(session =>
        {
            session.ToTable("sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.SandboxId).HasMaxLength(128);
            session.Property(s => s.Owner).HasMaxLength(128);
            session.Property(s => s.AgentId).HasMaxLength(64);
            session.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
            session.Property(s => s.EndReason).HasMaxLength(32);
            session.HasIndex(s => new { s.State, s.Owner });
        });

        modelBuilder.Entity<WarmSandboxRecord>(warm =>
        {
            warm.ToTable("warm_sandboxes");
            warm.HasKey(w => w.SandboxId);
            warm.Property(w => w.SandboxId).HasMaxLength(128);
            warm.Property(w => w.AgentId).HasMaxLength(64);
            warm.Property(w => w.State).HasConversion<string>().HasMaxLength(16);
            warm.Property(w => w.ClaimedBySession).HasMaxLength(64);
            warm.HasIndex(w => new { w.AgentId, w.State });
        });

        // Users' API keys, sealed: one row per owner and name; the master key id is a column so rotation can find stale rows.
        modelBuilder.Entity<StoredKeyRecord>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => new { k.Owner, k.Name });
            key.Property(k => k.Owner).HasMaxLength(128);
            key.Property(k => k.Name).HasMaxLength(128);
            key.Property(k => k.KeyId).HasMaxLength(32);
        });

        // Personal access tokens: only a SHA-256 hash; the visible prefix is indexed to find the candidates for a token.
        modelBuilder.Entity<AccessTokenRecord>(token =>
        {
            token.ToTable("access_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).HasMaxLength(32);
            token.Property(t => t.Owner).HasMaxLength(128);
            token.Property(t => t.Name).HasMaxLength(AccessTokenStore.MaxNameLength);
            token.Property(t => t.Prefix).HasMaxLength(16);
            token.HasIndex(t => t.Prefix);
            token.HasIndex(t => t.Owner);
        });

        modelBuilder.Entity<EventRecord>(evt =>
        {
            evt.ToTable("events");
            evt.HasKey(e => e.Id);
            evt.Property(e => e.Name).HasMaxLength(64);
            evt.Property(e => e.SessionId).HasMaxLength(64);
            evt.HasIndex(e => e.Timestamp);
            evt.HasIndex(e => e.SessionId);
        });

        // Users who signed in (issue 10). Login is the owner string everything else is stored under, hence unique.
        // The GitHub token is two columns, key id and sealed bytes (SecretProtector), never plaintext.
        modelBuilder.Entity<UserRecord>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Provider).HasMaxLength(16);
            user.Property(u => u.Login).HasMaxLength(128);
            user.Property(u => u.Name).HasMaxLength(256);
            user.Property(u => u.Email).HasMaxLength(256);
            user.Property(u => u.GitHubTokenKeyId).HasMaxLength(32);
            user.HasIndex(u => u.Login).IsUnique();
        });

        // Server-side sign-ins behind the cookie, keyed by the SHA-256 of the id the cookie carries; rows of a deleted
        // user go with it.
        modelBuilder.Entity<SignInSessionRecord>(signIn =>
        {
            signIn.ToTable("signin_sessions");
            signIn.HasKey(s => s.IdHash);
            signIn.Property(s => s.IdHash).HasMaxLength(64);
            signIn.HasOne<UserRecord>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
