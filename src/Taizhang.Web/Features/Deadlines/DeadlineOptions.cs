using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>
/// The deadline practice's settings (appsettings section "Deadlines"): the response window for the
/// first contact with the reporter, the working days after a reminder before the formal notice, and
/// the points each supervision level carries against the responsible unit. Registered once, by
/// <see cref="DeadlineEndpoints.AddDeadlines"/>; the deadline watch and the reports read it too.
/// </summary>
public sealed class DeadlineOptions
{
    public const string Section = "Deadlines";

    /// <summary>Hours after registration within which the first contact with the reporter counts as in time (the response rate).</summary>
    public int ResponseHours { get; set; } = 24;

    /// <summary>Working days after the automatic reminder (the day after the due date) before the formal notice (通报).</summary>
    public int NoticeAfterWorkingDays { get; set; } = 5;

    /// <summary>The longest extension (in days beyond the current due date) the office approves; a longer one is a leader's.</summary>
    public int MaxExtensionDays { get; set; } = 30;

    /// <summary>Points against the responsible unit per supervision level (普通 / 黄牌 / 红牌).</summary>
    public SupervisionPointsOptions SupervisionPoints { get; set; } = new();

    public TimeSpan ResponseWindow => TimeSpan.FromHours(Math.Max(0, ResponseHours));

    /// <summary>The points a supervision at <paramref name="level"/> carries.</summary>
    public int PointsOf(SupervisionLevel level) => level switch
    {
        SupervisionLevel.Yellow => SupervisionPoints.Yellow,
        SupervisionLevel.Red => SupervisionPoints.Red,
        _ => SupervisionPoints.Ordinary,
    };

    public sealed class SupervisionPointsOptions
    {
        public int Ordinary { get; set; }
        public int Yellow { get; set; } = 5;
        public int Red { get; set; } = 10;
    }
}
