using System.Globalization;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Meetings;

namespace Taizhang.Web.Pages.Meetings;

/// <summary>The meeting pages' forms: what was typed, kept on a refusal, and the request it makes.</summary>
public static class MeetingTimes
{
    public const string LocalFormat = "yyyy-MM-ddTHH:mm";

    /// <summary>A datetime-local value (Asia/Shanghai) as an instant; null when blank or not a time (the handler says required).</summary>
    public static DateTimeOffset? Parse(string? local, DuePolicy due)
    {
        if (string.IsNullOrWhiteSpace(local)
            || !DateTime.TryParseExact(local.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var t)
            || t.Year < 2000 || t.Year > 2100)
        {
            return null;
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(t, DateTimeKind.Unspecified), due.Zone), TimeSpan.Zero);
    }

    public static string Local(DateTime utc, DuePolicy due) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), due.Zone).ToString(LocalFormat, CultureInfo.InvariantCulture);
}

public sealed class PlanForm
{
    public string? Kind { get; set; }
    public string? Unit { get; set; }
    public string? Title { get; set; }
    public string? At { get; set; }
    public string? Place { get; set; }
    public string? Host { get; set; }
    public long? BodyId { get; set; }
    public int? Expected { get; set; }
    public List<GuestForm> Guests { get; set; } = [];

    public PlanMeeting.Request ToRequest(DuePolicy due) => new(Kind, Unit, Title, MeetingTimes.Parse(At, due), Place, Host, BodyId,
        Guests.Where(g => !string.IsNullOrWhiteSpace(g.Name)).Select(g => g.ToRequest()).ToList(), Expected);
}

public sealed class GuestForm
{
    public string? Role { get; set; }
    public string? Name { get; set; }
    public string? Post { get; set; }
    public string? Unit { get; set; }

    public PlanMeeting.GuestBody ToRequest() => new(Role, Name, Post, Unit, null);
}

public sealed class EditForm
{
    public string? Title { get; set; }
    public string? At { get; set; }
    public string? Place { get; set; }
    public string? Host { get; set; }
    public int? Expected { get; set; }
    public int Version { get; set; }

    public EditMeeting.Request ToRequest(DuePolicy due) => new(Title, MeetingTimes.Parse(At, due), Place, Host, Expected, null);
}

public sealed class AgendaForm
{
    public string? TrackingCode { get; set; }
    public long? CaseId { get; set; }
    public string? Title { get; set; }
    public string? Source { get; set; }

    public AddAgendaItem.Request ToRequest() => new(CaseId, TrackingCode, Title, Source);
}

public sealed class RaisedForm
{
    public string? Key { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? ReporterName { get; set; }
    public string? ReporterPhone { get; set; }
    public bool Anonymous { get; set; }
    public bool PutOnAgenda { get; set; }

    public RegisterRaisedMatter.Request ToRequest() => new(Title, Description,
        Anonymous ? null : new RegisterCase.ReporterBody(ReporterName, ReporterPhone), null, null, null, Anonymous ? true : null, null, PutOnAgenda);
}

public sealed class HoldForm
{
    public List<int> Present { get; set; } = [];
    public int? PresentCount { get; set; }
    public int? HouseholdsPresent { get; set; }
    public string? HeldAt { get; set; }

    public HoldMeeting.Request ToRequest(DuePolicy due) => new(Present, PresentCount, HouseholdsPresent, MeetingTimes.Parse(HeldAt, due));
}

public sealed class OutcomeForm
{
    public int Seq { get; set; }
    public string? Kind { get; set; }
    public string? Text { get; set; }
    public int? For { get; set; }
    public int? Against { get; set; }
    public int? Abstain { get; set; }

    public RecordOutcome.Request ToRequest() => Kind == "Vote"
        ? new(Kind, Text, For ?? 0, Against ?? 0, Abstain ?? 0)
        : new(Kind, Text, null, null, null);
}

public sealed class MinutesForm
{
    public string? Minutes { get; set; }
    public string? Reason { get; set; }
    public int Version { get; set; }
}

public sealed class ParticipantForm
{
    public string? Role { get; set; }
    public string? Name { get; set; }
    public string? Post { get; set; }
    public string? Unit { get; set; }

    public PlanMeeting.GuestBody ToRequest() => new(Role, Name, Post, Unit, null);
}
