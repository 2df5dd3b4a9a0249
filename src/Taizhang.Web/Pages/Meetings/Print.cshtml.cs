using Taizhang.Web.Features.Meetings;

namespace Taizhang.Web.Pages.Meetings;

/// <summary>会议记录 for paper (A4 portrait): the record the practice keeps, with a signature column.</summary>
public sealed class PrintModel(MeetingReader reader) : StaffPage
{
    public MeetingDetail Meeting { get; private set; } = null!;

    public async Task OnGetAsync(long id, CancellationToken ct) => Meeting = await reader.DetailAsync(id, ct);
}
