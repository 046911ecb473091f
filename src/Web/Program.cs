using RemoltBlazor.Data;
using RemoltBlazor.Data.Backup;
using RemoltBlazor.Data.Keys;
using RemoltBlazor.Sandboxes;
using RemoltBlazor.Web.Endpoints;
using RemoltBlazor.Web.Hosting;
using RemoltBlazor.Web.Operations;
using RemoltBlazor.Web.Proxy;
using RemoltBlazor.Web.Realtime;

if (HealthCheckCommand.Matches(args))
{
    // The image's HEALTHCHECK, every 30 s: before anything is built, so it costs a process start and one GET.
    return await HealthCheckCommand.RunAsync(args, Console.Out);
}

DotEnvFile.Load(); // before configuration is read; the real environment wins
var builder = WebApplication.CreateBuilder(args);
builder.AddRemoltData();
builder.AddRemoltSandboxes();
builder.AddRemoltWeb();

var app = builder.Build();
if (await app.Services.TryRunAsync(args, Console.Out) || await app.Services.TryRunBackupCommandAsync(args, Console.Out))
{
    return Environment.ExitCode; // a maintenance command (`secrets rotate`, `backup`, `restore`) ran instead of the server
}

app.UseRemoltWeb();
app.MapHealthEndpoints();
app.MapRemoltOperations();
app.MapAuthEndpoints();
app.MapAgentEndpoints();
app.MapSessionEndpoints();
app.MapAdminEndpoints();
app.MapBackupEndpoints();
app.MapKeyEndpoints();
app.MapTokenEndpoints();
app.MapWorkspaceEndpoints();
app.MapFileEndpoints();
app.MapTerminalSocket();
app.MapLogsSocket();
app.MapFilesSocket();
app.MapRemoltProxies();
app.MapRemoltUi();
return await app.RunRemoltAsync();

/// <summary>Entry point; public so test hosts can start the real app.</summary>
public partial class Program;
