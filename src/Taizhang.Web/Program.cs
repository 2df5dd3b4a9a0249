using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Taizhang.Web;
using Taizhang.Web.Demo;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Attachments;
using Taizhang.Web.Features.Calendar;
using Taizhang.Web.Features.Deadlines;
using Taizhang.Web.Features.Notifications;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Disclosures;
using Taizhang.Web.Features.Mediation;
using Taizhang.Web.Features.Consultation;
using Taizhang.Web.Features.Open311;
using Taizhang.Web.Features.Imports;
using Taizhang.Web.Features.Meetings;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Features.Reports.Snapshots;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Features.Tasks;
using Taizhang.Web.Features.Topics;
using Taizhang.Web.Features.WeChat;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Pages;
using Taizhang.Web.Resources;

var builder = WebApplication.CreateBuilder(AppStart.HostOptions(args));
if (args.Contains(AppStart.DemoFlag))
{
    builder.Configuration["Demo:Seed"] = "true";
}

// Scopes carry the request id (RequestIds) into every line a request logs.
builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
// The host's request lines carry the query string, where a resident's data can be (a ledger search
// for a phone number): never logged, whatever a configuration asks for (a test runs at Trace).
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
builder.AddRequestLimits();
builder.Services.AddTaizhangDatabase(builder.Configuration);
builder.Services.AddDataProtection().SetApplicationName("Taizhang").PersistKeysToDbContext<Taizhang.Web.Data.TaizhangDb>();
builder.Services.AddTaizhangTime(builder.Configuration);
builder.Services.AddReverseProxySupport(builder.Configuration);
builder.Services.AddSingleton<Texts>();
builder.Services.AddSingleton<ProblemMap>();
builder.Services.AddStaffPages();
builder.Services.AddSingleton<OrgDirectory>();
builder.Services.AddAccounts(builder.Configuration);
builder.Services.AddCaseFeatures(builder.Configuration);
builder.Services.AddDeadlines(builder.Configuration);
builder.Services.AddTopics(builder.Configuration);
builder.Services.AddMediationFeatures();
builder.Services.AddTracking(builder.Configuration);
builder.Services.AddAttachments(builder.Configuration);
builder.Services.AddPublicReport(builder.Configuration);
builder.Services.AddDisclosures(builder.Configuration);
builder.Services.AddImports(builder.Configuration);
builder.Services.AddReports(builder.Configuration);
builder.Services.AddReportSnapshots();
builder.Services.AddReportExportAndBoardEvents(builder.Configuration);
builder.Services.AddConsultationFigures();
builder.Services.AddTasks();
builder.Services.AddAdminFeatures();
builder.Services.AddWeChat(builder.Configuration);
builder.Services.AddOpen311(builder.Configuration);
builder.Services.AddNotifications(builder.Configuration);
builder.Services.AddDeadlineWatch(builder.Configuration);
builder.Services.AddCluster(builder.Configuration);
builder.Services.AddMeetings();
builder.Services.AddDemoData(builder.Configuration);
builder.Services.AddApi(builder.Configuration);
builder.Services.AddTaizhangHealthChecks();
builder.Services.AddRequestLocalization(o =>
{
    o.SetDefaultCulture(Texts.DefaultCulture).AddSupportedCultures(Texts.SupportedCultures).AddSupportedUICultures(Texts.SupportedCultures);
    o.FallBackToParentUICultures = true;
});

var app = builder.Build();

if (await AppStart.RunCommandAsync(app.Services, args, Console.Out) is { } exitCode)
{
    return exitCode;
}
await AppStart.PrepareAsync(app.Services, app.Configuration, Console.Out);

// The request id first, so that everything after it logs within its scope.
app.UseRequestIds();
app.UseReverseProxySupport();
app.UseSecurityHeaders();
// Localization before the exception handler: problem+json titles follow the request's language.
app.UseRequestLocalization();
app.UseExceptionHandler();
app.UseStatusCodePages(ErrorPage.StatusCodePageAsync);
app.UseRequestLimits();
// After authentication: the reports' limit is per account (ReportRateLimit); the others are per address.
app.UseAuthentication();
app.UseRateLimiter();
app.UsePasswordChangeGate();
app.UseAuthorization();
app.UseAntiforgery();
app.UseApiAntiforgery();

// One document, at a literal path: any other name is a route 404 (problem+json), not the OpenAPI middleware's plain text.
app.MapOpenApi("/openapi/v1.json").RequireAuthorization(Policies.SignedIn);
// /health, /health/live, /health/ready: probes on the same host need no account.
app.MapHealthEndpoints();
app.MapSessionEndpoints();
app.MapCaseEndpoints();
app.MapDeadlineEndpoints();
app.MapTopicEndpoints();
app.MapMediationEndpoints();
app.MapTrackingEndpoints();
app.MapAttachmentEndpoints();
app.MapPublicReportEndpoints();
app.MapDisclosureEndpoints();
app.MapImportEndpoints();
app.MapReportEndpoints();
app.MapReportSnapshotEndpoints();
app.MapReportExportAndBoardEvents();
app.MapConsultationFigureEndpoints();
app.MapTaskEndpoints();
app.MapCalendarEndpoints();
app.MapAdminEndpoints();
app.MapWeChatEndpoints();
app.MapOpen311Endpoints();
app.MapMeetingEndpoints();
app.MapAssets();
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
