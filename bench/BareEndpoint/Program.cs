using System.Text.Json.Serialization;

// The limit for intake: the same request as POST /api/v1/cases, parsed into the same shape, answered
// 201 with a body of the same shape — and nothing stored, checked or authenticated. Kestrel and
// JSON defaults as in the app (minimal API, string enums, relaxed escaping).
var builder = WebApplication.CreateBuilder(args);
// As the app's appsettings.json: nothing logged per request.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
});
var app = builder.Build();

long next = 0;
app.MapPost("/api/v1/cases", (Request? request) =>
{
    if (request?.Title is null || request.Channel is null || request.OrgUnit is null)
    {
        return Results.BadRequest();
    }
    var id = Interlocked.Increment(ref next);
    var now = DateTime.UtcNow;
    return Results.Created($"/api/v1/cases/{id}", new Response(id, "ABCD-EFGH", "Registered", now.AddDays(7), DateOnly.FromDateTime(now.AddDays(7)), now));
});
app.MapGet("/health", () => "Healthy");
app.Run();

internal sealed record ReporterBody(string? Name, string? Phone);

internal sealed record LocationBody(double? Lat, double? Lng, string? Address);

internal sealed record Request(string? Channel, string? Title, string? Description, ReporterBody? Reporter, string? OrgUnit,
    string? Category, string? Urgency, LocationBody? Location, string? ExternalRef, long? MeetingId);

internal sealed record Response(long Id, string TrackingCode, string Status, DateTime DueAt, DateOnly DueDate, DateTime RegisteredAt);
