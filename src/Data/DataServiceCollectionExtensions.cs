using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemoltBlazor.Data.Backup;
using RemoltBlazor.Data.Events;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Data.Secrets;
using RemoltBlazor.Data.Sessions;
using RemoltBlazor.Data.Users;

namespace RemoltBlazor.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>SQLite in <c>REMOLT_DATA_DIR</c>, the session store and the event log; migrations run at start.</summary>
    public static IHostApplicationBuilder AddRemoltData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DataOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddTimeProvider();
        builder.Services.AddDbContextFactory<RemoltDbContext>((services, db) =>
        {
            var options = services.GetRequiredService<IOptions<DataOptions>>().Value;
            Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
            db.UseSqlite($"Data Source={options.DatabasePath};Cache=Shared;Pooling=True");
        });
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<InstanceIdentity>();
        builder.Services.AddSingleton<WarmSandboxStore>();
        builder.Services.AddSingleton<EventLog>();
        builder.Services.AddSingleton<SecretKeyRing>();
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<ISealedSecretSet>(sp => sp.GetRequiredService<ApiKeyStore>());
        builder.Services.AddSingleton<SecretRotation>();
        builder.Services.AddSingleton<AccessTokenStore>();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<ISealedSecretSet>(sp => sp.GetRequiredService<UserStore>());
        builder.Services.AddSingleton<SignInSessionStore>();
        builder.Services.AddSingleton<DataFolderLock>();
        builder.Services.AddSingleton<BackupService>();
        builder.Services.AddSingleton<RestoreService>();
        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
