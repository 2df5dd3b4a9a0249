using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Features.Meetings;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Meetings;

/// <summary>新建会议: kind, unit, title, time, place, host, the body (its members are 应到) and invited guests.</summary>
[Requires(Permission.RunMeetings)]
public sealed class NewModel(PlanMeeting.Handler plan, GetMeetingChoices.Handler choices, DuePolicy due, Texts texts) : StaffPage
{
    public const int GuestRows = 3;

    public PlanForm Form { get; private set; } = new();
    public GetMeetingChoices.Choices Choices { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Choices = await choices.HandleAsync(ct);
        Form = new PlanForm { Unit = Choices.RunUnits.Count == 1 ? Choices.RunUnits[0].Code : null, Kind = "Deliberation" };
        Pad();
    }

    public async Task<IActionResult> OnPostAsync([Bind(Prefix = "Form")] PlanForm form, CancellationToken ct)
    {
        MeetingDetail? done = null;
        if (await TryAsync(async () => done = await plan.HandleAsync(form.ToRequest(due), ct), "Form."))
        {
            return Done(texts.Format("meetings.done.planned", done!.Title), $"/meetings/{done.Id}");
        }
        Form = form;
        Choices = await choices.HandleAsync(ct);
        Pad();
        return Page();
    }

    private void Pad()
    {
        while (Form.Guests.Count < GuestRows)
        {
            Form.Guests.Add(new GuestForm());
        }
    }
}
