using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Taizhang.Web.Demo;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Calendar;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Pages;
using Taizhang.Web.Resources;

// "--demo" is a flag, not a key=value pair: take it out before configuration reads the rest.
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(BackupCommand.ConfigurationArguments(args).Where(a => a != "--demo").ToArray());
if (demo)
{
    builder.Configuration["Demo:Seed"] = "true";
}

// Scopes carry the request id (RequestIds) into every line a request logs.
builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
builder.AddRequestLimits();
builder.Services.AddTaizhangDatabase(builder.Configuration);
builder.Services.AddDataProtection().SetApplicationName("Taizhang").PersistKeysToDbContext<Taizhang.Web.Data.TaizhangDb>();
builder.Services.AddTaizhangTime(builder.Configuration);
builder.Services.AddReverseProxySupport(builder.Configuration);
builder.Services.AddSingleton<Texts>();
builder.Services.AddSingleton<ProblemMap>();
builder.Services.AddStaffPages();
builder.Services.AddSingleton<OrgDirectory>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<CurrentUser>();
builder.Services.AddAntiforgery(o => o.HeaderName = Session.AntiforgeryHeader);
builder.Services.AddAuthorization(o =>
{
    // Everything needs a signed-in person or integration unless it says AllowAnonymous
    // (sign-in and the public tracking view).
    o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
});
builder.Services.AddAccounts(builder.Configuration);
builder.Services.AddCaseFeatures(builder.Configuration);
builder.Services.AddReports();
builder.Services.AddAdminFeatures();
builder.Services.AddDemoData(builder.Configuration);

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
});
// Bare status codes (route 404, 405, 401/403, 429 …) become problems with our types and localized titles.
builder.Services.AddProblemDetails(StatusProblems.Configure);
// Malformed bodies and parameters go to the one exception handler, which answers with field errors.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddOpenApi("v1", o =>
{
    // Every feature has its own Request/Response: name schemas after the feature (RegisterCaseRequest).
    o.CreateSchemaReferenceId = t => t.Type.IsNested && t.Type.DeclaringType is { } feature
        ? feature.Name + t.Type.Name
        : Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(t);
    o.AddDocumentTransformer((document, _, _) =>
    {
        document.Info.Title = "Taizhang 台账 API";
        document.Info.Description = "Case intake and tracking for town and village governance. "
            + "People sign in with POST /api/v1/session (cookie + X-XSRF-TOKEN); integrations send a Bearer token.";
        return Task.CompletedTask;
    });
});
builder.Services.AddTaizhangHealthChecks();
builder.Services.AddRequestLocalization(o =>
{
    o.SetDefaultCulture(Texts.DefaultCulture).AddSupportedCultures(Texts.SupportedCultures).AddSupportedUICultures(Texts.SupportedCultures);
    o.FallBackToParentUICultures = true;
});
builder.Services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.AddPolicy(CaseEndpoints.PublicRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = builder.Configuration.GetValue("RateLimits:PublicPerMinute", 60),
            Window = TimeSpan.FromMinutes(1),
        }));
});

var app = builder.Build();

// Before migrating: a backup copies the database as it is, a restore replaces it (and migrates afterwards).
if (BackupCommand.IsCommand(args))
{
    return await BackupCommand.RunAsync(app.Services, args, Console.Out);
}
await DatabaseSetup.MigrateAsync(app.Services);
await app.Services.GetRequiredService<DuePolicySource>().InitializeAsync(app.Services.GetRequiredService<TimeProvider>());
if (ApiClientCommand.IsCommand(args))
{
    return await ApiClientCommand.RunAsync(app.Services, args, Console.Out);
}
if (VerifyEventChain.IsCommand(args))
{
    return await VerifyEventChain.RunCommandAsync(app.Services, args, Console.Out);
}
await DemoSeeder.SeedIfRequestedAsync(app.Services);
await DemoSeeder.EnsureDefaultCategoriesAsync(app.Services);
await AccountBootstrap.EnsureAdministratorAsync(app.Services, Console.Out);
if (app.Services.GetRequiredService<DemoOptions>().Seed)
{
    await AccountBootstrap.EnsureDemoUsersAsync(app.Services, app.Configuration["Demo:Password"], Console.Out);
}
GetCalendar.WarnIfIncomplete(app.Services);

// The request id first, so that everything after it logs within its scope.
app.UseRequestIds();
app.UseReverseProxySupport();
app.UseSecurityHeaders();
// Localization before the exception handler: problem+json titles follow the request's language.
app.UseRequestLocalization();
app.UseExceptionHandler();
app.UseStatusCodePages(ErrorPage.StatusCodePageAsync);
app.UseRequestLimits();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseApiAntiforgery();

// One document, at a literal path: any other name is a route 404 (problem+json), not the OpenAPI middleware's plain text.
app.MapOpenApi("/openapi/v1.json");
// /health, /health/live, /health/ready: probes on the same host need no account.
app.MapHealthEndpoints();
app.MapSessionEndpoints();
app.MapCaseEndpoints();
app.MapReportEndpoints();
app.MapCalendarEndpoints();
app.MapAdminEndpoints();
app.MapAssets();
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
