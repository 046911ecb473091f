using System.Text.Json;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using RemoltBlazor.Web.Auth;
using RemoltBlazor.Web.Auth.Tokens;
using RemoltBlazor.Web.Components;
using RemoltBlazor.Web.Endpoints;
using RemoltBlazor.Web.Operations;
using RemoltBlazor.Web.Proxy;
using RemoltBlazor.Web.Realtime;
using RemoltBlazor.Web.Realtime.Circuit;

namespace RemoltBlazor.Web.Hosting;

internal static class WebHostingExtensions
{
    /// <summary>Blazor Server with MudBlazor, the API's JSON shape and error handling, CORS and WebSocket policy.</summary>
    public static IHostApplicationBuilder AddRemoltWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        builder.AddRemoltAuth().AddAccessTokens();
        services.AddCircuitTerminals();
        builder.AddRemoltOperations();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        // Bad bodies and parameters surface as exceptions, so they get the API's {"detail": ...} shape with a reason.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddSingleton<HostAllowList>();
        services.AddSingleton<OriginPolicy>();
        services.AddRemoltProxies(builder.Configuration);
        // CORS allows the origins of the bound, validated WebOptions: the same list the WebSocket Origin check reads.
        // Empty by default, so no other origin gets credentialed CORS answers.
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<WebOptions>>((cors, web) => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. web.Value.AllowedOriginList])
            .AllowCredentials().AllowAnyHeader().AllowAnyMethod()));
        return builder;
    }

    public static WebApplication UseRemoltWeb(this WebApplication app)
    {
        // Before anything answers: a foreign Host or a cross-site state change never reaches an endpoint.
        app.UseMiddleware<RequestGate>();
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            // Unknown /api routes answer in the API's error shape instead of an empty body (the original's SPA
            // fallback masked them with index.html, section 12 item 17).
            var http = context.HttpContext;
            if (http.Request.Path.StartsWithSegments("/api") && !http.Response.HasStarted && http.Response.ContentLength is null)
            {
                var reason = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(http.Response.StatusCode);
                await http.Response.WriteAsJsonAsync(new ErrorResponse(reason.Length > 0 ? reason : "Request failed"));
            }
        });
        app.UseCors();
        // Sockets are only accepted by endpoints, after authorization; the apps origin's root socket is the one
        // exception, admitted by its own apps cookie before the app's sign-in is looked at.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAppsOriginRootSocket();
        // A caller without a sign-in gets 401 before any WebSocket upgrade.
        app.UseRemoltAuth();
        app.UseAntiforgery();
        // Styles and scripts carry nothing private, and the sign-in page needs them before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();
        return app;
    }

    public static WebApplication MapRemoltUi(this WebApplication app)
    {
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
