using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Pages.Shared;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Tracking;

/// <summary>
/// 查询进度 (/track, /track/{code}): what a resident sees with their tracking code, in their words — the
/// stage, dates, the unit, each step as a sentence, the outcome and the 答复意见 once resolved — and,
/// then, the self-service rating with the 评价码 (<see cref="RateCase"/>). No account; never a name, a
/// phone, the description, an internal reason or note, or another case's code (<see cref="TrackCase"/>).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(TrackingSetup.RateLimit)]
public sealed class IndexModel(TrackCase.Handler track, DuePolicy due, Texts texts, PageChrome show) : StaffPage
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public string? RatingCode { get; set; }

    [BindProperty]
    public string? Satisfaction { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    public TrackCase.Response? Found { get; private set; }

    /// <summary>Why nothing is shown for the code typed: not a code at all, or no case has it.</summary>
    public string? Missing { get; private set; }

    public sealed record Step(DateTime At, string Text);

    public IReadOnlyList<Step> Steps { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Code))
        {
            return Page();
        }
        // One address per case (/track/ABCD-2345) whatever was typed, so it can be bookmarked and shared with family.
        if (TrackingCodes.Normalize(Code) is { } normalized && !string.Equals(RouteData.Values["code"] as string, normalized, StringComparison.Ordinal))
        {
            return LocalRedirect("/track/" + normalized);
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>POST /track/{code}: the rating.</summary>
    public async Task<IActionResult> OnPostAsync([FromServices] RateCase.Handler rate, CancellationToken ct)
    {
        RateCase.Response? rated = null;
        try
        {
            if (await TryAsync(async () => rated = await rate.HandleAsync(Code, new RateCase.Request(RatingCode, Satisfaction, Comment), ct)))
            {
                return Done(texts[rated!.Reopened ? "track.rate.done-reopened" : "track.rate.done"], "/track/" + rated.TrackingCode);
            }
        }
        catch (NotFoundException)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        catch (RateCase.LockedException locked)
        {
            ModelState.AddModelError(nameof(RatingCode), texts["track.rating-locked"]);
            Response.Headers.RetryAfter = RateCase.RetryAfter(locked.Until, HttpContext.RequestServices.GetRequiredService<TimeProvider>());
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
        }
        var status = Response.StatusCode;
        await LoadAsync(ct);
        Response.StatusCode = status;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        try
        {
            Found = await track.HandleAsync(Code ?? "", ct);
        }
        catch (NotFoundException)
        {
            Missing = TrackingCodes.Normalize(Code) is null ? texts["track.code-invalid"] : texts["track.not-found"];
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Steps = Describe(Found);
    }

    /// <summary>Messages that belong to no field (already rated, not resolved …).</summary>
    public IEnumerable<string> OtherErrors() => ModelState
        .Where(kv => kv.Key is not (nameof(RatingCode) or nameof(Satisfaction) or nameof(Comment)))
        .SelectMany(kv => kv.Value!.Errors.Select(e => e.ErrorMessage))
        .Where(m => !string.IsNullOrEmpty(m));

    /// <summary>A local date as a resident says it: "6月3日", with the year when it is not this year's.</summary>
    public string Day(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), due.Zone);
        return Day(DateOnly.FromDateTime(local));
    }

    public string Day(DateOnly date) => date.ToString(
        texts[date.Year == show.Today.Year ? "track.date-format" : "track.date-format-year"],
        Texts.CurrentCulture == "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo("zh-CN"));

    private List<Step> Describe(TrackCase.Response c) => c.Timeline.Select(e =>
    {
        string T(string key, params object?[] args) => texts.Format("track.event." + key, [Day(e.At), .. args]);
        var text = e.Action switch
        {
            CaseAction.Register => T("Register", show.Of(c.Channel)),
            CaseAction.Triage => T("Triage"),
            CaseAction.Assign => T("Assign", e.Unit ?? ""),
            CaseAction.Start => e.Unit is null ? T("StartNoUnit") : T("Start", e.Unit),
            CaseAction.Transfer => T("Transfer", e.Unit ?? ""),
            CaseAction.Resolve => T("Resolve", Enum.TryParse<Outcome>(e.Detail, out var o) ? show.Of(o) : ""),
            CaseAction.FollowUp => T(e.Status == CaseStatus.Reopened ? "FollowUpReopened" : "FollowUp",
                Enum.TryParse<Satisfaction>(e.Detail, out var s) ? show.Of(s) : ""),
            CaseAction.Reopen => T("Reopen"),
            CaseAction.Reject => T("Reject", Cases.CaseTimeline.Mask(e.Detail ?? "")),
            CaseAction.Merge => T("Merge"),
            CaseAction.Deliberate => T("Deliberate"),
            CaseAction.Plan => T("Plan"),
            CaseAction.DecideExtension when DateOnly.TryParseExact(e.Detail, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until)
                => T("Extended", Day(until)),
            _ => null,
        };
        return text is null ? null : new Step(e.At, text);
    }).OfType<Step>().ToList();
}
