using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Meetings;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Pages.Meetings;

/// <summary>会议: the meetings the person sees, filtered as the list API is (the filters in the URL).</summary>
public sealed class IndexModel(ListMeetings.Handler list, GetMeetingChoices.Handler choices) : StaffPage
{
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "to")] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public ListMeetings.MeetingPage? Result { get; private set; }
    public GetMeetingChoices.Choices Choices { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Choices = await choices.HandleAsync(ct);
        if (!await TryAsync(async () => Result = await list.HandleAsync(new ListMeetings.Query(Unit, Kind, Status, From, To, PageNumber, 50), ct)))
        {
            // Refused filters are shown next to their fields; the page itself is fine.
            Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    public string PageUrl(int page) => "/meetings" + QueryString.Create(new Dictionary<string, string?>
    {
        ["unit"] = Unit, ["kind"] = Kind, ["status"] = Status, ["from"] = From, ["to"] = To, ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value)));
}
