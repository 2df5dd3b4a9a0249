using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>
/// Drives fresh cases into every <see cref="CaseStatus"/> through the public methods only,
/// with a clock that moves one hour per step so every event has its own instant.
/// </summary>
internal sealed class CaseBuilder
{
    /// <summary>2026-09-30 10:00 Shanghai: just before the National Day holiday.</summary>
    public static readonly DateTime Start = TestData.ShanghaiTime(2026, 9, 30, 10);

    private DateTime _now = Start;
    private int _serial;

    public DateTime Now => _now;

    /// <summary>The next instant (one hour later than the previous one).</summary>
    public DateTime Tick()
    {
        _now = _now.AddHours(1);
        return _now;
    }

    public Case Register(
        long town = TestData.Town,
        Urgency urgency = Urgency.Normal,
        ReporterInfo? reporter = null,
        DateTime? at = null)
    {
        _serial++;
        return Case.Register(
            town,
            TestData.Village,
            Channel.Hotline,
            "路灯不亮",
            "三组村口路灯坏了两周。",
            urgency,
            categoryId: null,
            reporter ?? new ReporterInfo("张三", $"1380000{_serial:0000}"),
            location: null,
            externalRef: null,
            idempotencyKey: null,
            meetingId: null,
            trackingCode: $"TZ-{_serial:000000}",
            TestData.Due,
            TestData.Clerk,
            at ?? _now);
    }

    /// <summary>A fresh case in <paramref name="status"/>, reached through the public lifecycle.</summary>
    public Case InStatus(CaseStatus status)
    {
        var c = Register();
        DriveTo(c, status);
        Assert.Equal(status, c.Status);
        return c;
    }

    /// <summary>
    /// A topic (议题) in <paramref name="status"/>: the states shared with the direct track are reached
    /// through the ledger, deliberation and a plan, so the topic-only actions apply.
    /// </summary>
    public Case InTopicStatus(CaseStatus status)
    {
        var c = Register();
        _topic = true;
        try
        {
            DriveTo(c, status);
        }
        finally
        {
            _topic = false;
        }
        Assert.Equal(status, c.Status);
        return c;
    }

    private bool _topic;

    private void DriveTo(Case c, CaseStatus status)
    {
        if (_topic && status is CaseStatus.Assigned)
        {
            DriveTo(c, CaseStatus.Planned);
            c.Assign(TestData.UnitA, TestData.Clerk, Tick());
            return;
        }
        switch (status)
        {
            case CaseStatus.Registered:
                break;
            case CaseStatus.Triaged:
                c.Triage(Track.Direct, c.Urgency, null, null, TestData.Due, TestData.Clerk, Tick());
                break;
            case CaseStatus.Assigned:
                c.Triage(Track.Direct, c.Urgency, null, TestData.UnitA, TestData.Due, TestData.Clerk, Tick());
                break;
            case CaseStatus.InProgress:
                DriveTo(c, CaseStatus.Assigned);
                c.Start(TestData.Clerk, Tick());
                break;
            case CaseStatus.Resolved:
                DriveTo(c, CaseStatus.InProgress);
                c.Resolve(Outcome.Solved, "已修好", TestData.Clerk, Tick());
                break;
            case CaseStatus.FollowedUp:
                DriveTo(c, CaseStatus.Resolved);
                c.FollowUp(Satisfaction.Satisfied, null, TestData.Due, TestData.Clerk, Tick());
                break;
            case CaseStatus.Reopened:
                DriveTo(c, CaseStatus.Resolved);
                c.FollowUp(Satisfaction.Unsatisfied, "还是不亮", TestData.Due, TestData.Clerk, Tick());
                break;
            case CaseStatus.Returned:
                DriveTo(c, CaseStatus.InProgress);
                c.Return("不属于本单位职责", TestData.Clerk, Tick());
                break;
            case CaseStatus.Rejected:
                c.Reject("不属于受理范围", TestData.Clerk, Tick());
                break;
            case CaseStatus.Merged:
                c.MergeInto(Register(), "同一事项", TestData.Clerk, Tick());
                break;
            case CaseStatus.Ledgered:
                c.Triage(Track.Topic, c.Urgency, null, null, TestData.Due, TestData.Clerk, Tick());
                break;
            case CaseStatus.Deliberating:
                DriveTo(c, CaseStatus.Ledgered);
                c.Deliberate(meetingId: 5, TestData.Clerk, Tick());
                break;
            case CaseStatus.Planned:
                DriveTo(c, CaseStatus.Deliberating);
                c.Plan("村民代表会商定：本月内更换灯具", TestData.UnitA, TestData.Clerk, Tick());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }
    }
}
