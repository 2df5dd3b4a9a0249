using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Web.Features.Meetings;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Meetings;

/// <summary>参会组织: the bodies of the units whose meetings the person runs (议事会, 村民代表会议 …) and their members, so that 应到 is known.</summary>
[Requires(Permission.RunMeetings)]
public sealed class BodiesModel(ListBodies.Handler list, SaveBody.Handler bodies, SaveBodyMember.Handler members, GetMeetingChoices.Handler choices,
    Texts texts) : StaffPage
{
    public IReadOnlyList<BodyView> Bodies { get; private set; } = [];
    public GetMeetingChoices.Choices Choices { get; private set; } = null!;
    public BodyForm Create { get; private set; } = new();
    public MemberForm Member { get; private set; } = new();
    public string? Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync([Bind(Prefix = "Create")] BodyForm form, CancellationToken ct)
    {
        BodyView? done = null;
        if (await TryAsync(async () => done = await bodies.CreateAsync(new SaveBody.Request(form.Unit, form.Kind, form.Name, form.AdultCount, form.HouseholdCount), ct), "Create."))
        {
            return Done(texts["meetings.bodies.created"], $"/meetings/bodies#body-{done!.Id}");
        }
        (Create, Failed) = (form, "Create");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMemberAsync([Bind(Prefix = "Member")] MemberForm form, CancellationToken ct)
    {
        var request = new SaveBodyMember.Request(form.Name, form.Post, form.UserId, form.Active);
        if (await TryAsync(() => form.Seq is { } seq ? members.UpdateAsync(form.BodyId, seq, request, ct) : members.AddAsync(form.BodyId, request, ct), "Member."))
        {
            return Done(texts["meetings.bodies.saved"], $"/meetings/bodies#body-{form.BodyId}");
        }
        (Member, Failed) = (form, "Member");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Bodies = await list.HandleAsync(new ListBodies.Query(null), ct);
        Choices = await choices.HandleAsync(ct);
    }

    public sealed class BodyForm
    {
        public string? Unit { get; set; }
        public string? Kind { get; set; }
        public string? Name { get; set; }
        public int? AdultCount { get; set; }
        public int? HouseholdCount { get; set; }
    }

    public sealed class MemberForm
    {
        public long BodyId { get; set; }
        public int? Seq { get; set; }
        public string? Name { get; set; }
        public string? Post { get; set; }
        public long? UserId { get; set; }
        public bool Active { get; set; } = true;
    }
}
