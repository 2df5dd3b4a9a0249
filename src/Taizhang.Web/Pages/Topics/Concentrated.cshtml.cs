using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Features.Topics;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Topics;

/// <summary>集中办理: the candidates with their reasons, and the form that calls a concentrated-handling meeting on the ticked ones.</summary>
public sealed class ConcentratedModel(GetConcentratedCandidates.Handler candidates, DuePolicy due, Texts texts) : StaffPage
{
    public IReadOnlyList<ConcentratedCandidate> Candidates { get; private set; } = [];
    public bool MayCall { get; private set; }
    public int WaitDays => candidates.WaitDays;

    /// <summary>The meeting just created (after the redirect): the page links to it.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Created { get; set; }

    public MeetingForm Meeting { get; set; } = new();

    public sealed class MeetingForm
    {
        public string? Title { get; set; }
        public string? At { get; set; }
        public string? Place { get; set; }
        public List<long> CaseIds { get; set; } = [];
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync([FromServices] CreateConcentratedMeeting.Handler create)
    {
        await TryUpdateModelAsync(Meeting, nameof(Meeting));
        DateTimeOffset? at = null;
        if (!string.IsNullOrWhiteSpace(Meeting.At))
        {
            if (DateTime.TryParseExact(Meeting.At.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var local))
            {
                at = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), due.Zone), TimeSpan.Zero);
            }
            else
            {
                ModelState.AddModelError("Meeting.At", texts["topics.error.at"]);
            }
        }
        CreateConcentratedMeeting.Created? created = null;
        if (ModelState.ErrorCount == 0 && await TryAsync(async () =>
                created = await create.HandleAsync(new CreateConcentratedMeeting.Request(Meeting.Title, at, Meeting.Place, Meeting.CaseIds), HttpContext.RequestAborted),
                "Meeting."))
        {
            return Done(texts.Format("topics.concentrated.created", created!.Title, created.CaseIds.Count), $"/topics/concentrated?created={created.Id}");
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync();
        return Page();
    }

    /// <summary>The message for a ticked case the handler refused ("Meeting.CaseIds[1]" is the second ticked id).</summary>
    public string? ErrorForCase(long id)
    {
        var index = Meeting.CaseIds.IndexOf(id);
        return index < 0 ? null : ErrorFor($"Meeting.CaseIds[{index}]");
    }

    private async Task LoadAsync()
    {
        Candidates = await candidates.HandleAsync(HttpContext.RequestAborted);
        MayCall = await candidates.MayCallAsync(HttpContext.RequestAborted);
    }
}
