using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Localization;
using Taizhang.Web.Demo;
using Taizhang.Web.Features.Calendar;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

// "--demo" is a flag, not a key=value pair: take it out before configuration reads the rest.
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
if (demo)
{
    builder.Configuration["Demo:Seed"] = "true";
}

builder.Services.AddTaizhangDatabase(builder.Configuration);
builder.Services.AddTaizhangTime(builder.Configuration);
builder.Services.AddSingleton<Texts>();
builder.Services.AddSingleton<OrgDirectory>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<CurrentActor>();
builder.Services.AddCaseFeatures(builder.Configuration);
builder.Services.AddDemoData(builder.Configuration);

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
});
builder.Services.AddProblemDetails();
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
            + "Unauthenticated until accounts arrive: the actor of each event is the X-Taizhang-Dev-Actor header.";
        return Task.CompletedTask;
    });
});
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
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

await DatabaseSetup.MigrateAsync(app.Services);
await DemoSeeder.SeedIfRequestedAsync(app.Services);
GetCalendar.WarnIfIncomplete(app.Services);

// Localization first: problem+json titles written by the exception handler follow the request's language.
app.UseRequestLocalization();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapGet("/", () => TypedResults.Redirect("/openapi/v1.json")).ExcludeFromDescription();
app.MapHealthChecks("/health");
app.MapCaseEndpoints();
app.MapCalendarEndpoints();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
