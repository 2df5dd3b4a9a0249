// The plan of each case: its fate (the state it ends the year in), the timed steps that take it there,
// and how many cases get each fate. The stories that fill in the steps are in DemoCases.Intake and DemoCases.Stories.
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    private enum Fate
    {
        Closed,
        ClosedTopic,
        ClosedAfterReopen,
        Resolved,
        Registered,
        Triaged,
        Returned,
        Assigned,
        InProgress,
        Reopened,
        Ledgered,
        Deliberating,
        Planned,
        Rejected,
        Merged,
    }

    private readonly record struct Step(DateTime At, Action<Case, DateTime> Apply);

    private sealed class Plan(int index, Fate fate)
    {
        public int Index { get; } = index;
        public Fate Fate { get; } = fate;
        public bool Overdue { get; set; }
        public Channel Channel { get; set; }
        public Meeting? FromMeeting { get; set; }
        public CaseTemplate? Template { get; set; }
        public string CategoryCode { get; set; } = string.Empty;
        public OrgUnit Village { get; set; } = null!;
        public OrgUnit Unit { get; set; } = null!;
        public Urgency Urgency { get; set; }
        public Urgency RegUrgency { get; set; }
        public bool CategoryAtRegistration { get; set; }
        public ReporterInfo? Reporter { get; set; }
        public string Title { get; set; } = string.Empty;
        public string Body { get; set; } = string.Empty;
        public string TrackingCode { get; set; } = string.Empty;
        public long CaseId { get; set; }
        public DateTime RegisteredAt { get; set; }
        public List<Step> Steps { get; } = [];
        public DateTime? FirstResolvedAt { get; set; }
        public DateTime DeferFrom { get; set; } = DateTime.MaxValue;
        public Case? Case { get; set; }
        public HandlingDraft? Handling { get; set; }
        public DateTime LastAt => Steps.Count == 0 ? RegisteredAt : Steps.Max(s => s.At);
        public void Add(DateTime at, Action<Case, DateTime> apply) => Steps.Add(new Step(at, apply));
    }

    private List<Plan> PlanCases(int n)
    {
        var merged = (int)Math.Round(n * 0.04);
        var rejected = (int)Math.Round(n * 0.02);
        var accepted = n - merged - rejected;
        // Handling rate 办理率 about 98%: about 2% of accepted cases are still open.
        var open = (int)Math.Round(accepted * 0.02);
        var resolved = (int)Math.Round(accepted * 0.03);
        var reopenedClosed = (int)Math.Round(accepted * 0.007);
        var topics = (int)Math.Round(accepted * 0.10);
        var closed = Math.Max(0, accepted - open - resolved - reopenedClosed - topics);
        Fate[] openOrder =
        [
            Fate.InProgress, Fate.Registered, Fate.Assigned, Fate.Ledgered, Fate.Returned, Fate.Deliberating,
            Fate.Planned, Fate.Triaged, Fate.Reopened, Fate.Assigned, Fate.InProgress, Fate.Registered,
        ];
        var fates = new List<Fate>();
        fates.AddRange(Enumerable.Repeat(Fate.Closed, closed));
        fates.AddRange(Enumerable.Repeat(Fate.ClosedTopic, topics));
        fates.AddRange(Enumerable.Repeat(Fate.ClosedAfterReopen, reopenedClosed));
        fates.AddRange(Enumerable.Repeat(Fate.Resolved, resolved));
        fates.AddRange(Enumerable.Range(0, open).Select(i => openOrder[i % openOrder.Length]));
        fates.AddRange(Enumerable.Repeat(Fate.Rejected, rejected));
        fates = fates.Take(n - merged).ToList();

        var plans = new List<Plan>(n);
        var inProgress = 0;
        foreach (var fate in fates)
        {
            var p = new Plan(plans.Count, fate);
            // One case long stuck in progress, plus returned and planned ones past their due dates.
            p.Overdue = fate is Fate.Returned or Fate.Planned || (fate == Fate.InProgress && inProgress++ == 0);
            if (fate == Fate.Rejected)
            {
                PlanRejected(p);
            }
            else
            {
                PlanAccepted(p);
            }
            plans.Add(p);
        }

        // Duplicates (归纳整理): later reports of a matter already in the ledger, merged into it.
        var survivors = plans
            .Where(p => p.Fate is Fate.Closed or Fate.ClosedTopic or Fate.Resolved or Fate.ClosedAfterReopen
                && p.FirstResolvedAt is { } r && r - p.RegisteredAt > TimeSpan.FromHours(8))
            .ToList();
        for (var i = 0; i < merged && survivors.Count > 0; i++)
        {
            var s = survivors.Count(x => x.Template?.Plan is not null) > 0 && Chance(0.4)
                ? Pick(survivors.Where(x => x.Template?.Plan is not null).ToList())
                : Pick(survivors);
            var p = new Plan(plans.Count, Fate.Merged);
            PlanDuplicate(p, s);
            plans.Add(p);
        }

        // A few repeat reports (AddReporter) on cases still being handled.
        foreach (var p in plans.Where(p => p.Fate is Fate.Closed or Fate.ClosedTopic && p.FirstResolvedAt is not null).ToList())
        {
            if (Chance(0.05))
            {
                var span = p.FirstResolvedAt!.Value - p.RegisteredAt;
                var at = Awake(p.RegisteredAt + (span * U(0.2, 0.9)));
                if (at >= p.FirstResolvedAt.Value)
                {
                    continue;
                }
                var reporter = Resident(p.Village);
                p.Add(at, (c, t) => c.AddReporter(reporter, DemoCatalogue.Operator, t));
            }
        }

        foreach (var p in plans)
        {
            // Stable: steps planned for the same instant keep their planned order.
            var steps = p.Steps.OrderBy(s => s.At).ToList();
            p.Steps.Clear();
            p.Steps.AddRange(steps);
            p.TrackingCode = NewTrackingCode();
            p.CaseId = _lastId;
        }
        return plans;
    }

    /// <summary>
    /// The next reserved case id's tracking code (derived from the id, as every case's is); the id is then
    /// <see cref="_lastId"/>, which the caller passes to Case.Register right after (arguments are evaluated in order).
    /// </summary>
    private string NewTrackingCode()
    {
        _lastId = _ids.TryDequeue(out var id) ? id : throw new InvalidOperationException("The demo ran out of reserved case ids.");
        return TrackingCodes.FromId(_codeKey, _lastId);
    }

    /// <summary>How many days before the end of the year a case of this fate is registered.</summary>
    private static (double From, double To) AgeWindow(Plan p) => p.Fate switch
    {
        Fate.Closed => (365, 8),
        Fate.ClosedTopic => (365, 55),
        Fate.ClosedAfterReopen => (365, 45),
        Fate.Resolved => (18, 3),
        Fate.Registered => (0.6, 0.05),
        Fate.Triaged => (1.5, 0.3),
        Fate.Assigned => (3, 0.8),
        Fate.InProgress => p.Overdue ? (28, 14) : (6, 1.5),
        Fate.Returned => (16, 8),
        Fate.Reopened => (35, 12),
        Fate.Ledgered => (10, 2),
        Fate.Deliberating => (28, 8),
        Fate.Planned => (45, 22),
        Fate.Rejected => (365, 2),
        Fate.Merged => (365, 8),
    };

    private static bool IsTopicFate(Fate f) => f is Fate.ClosedTopic or Fate.Ledgered or Fate.Deliberating or Fate.Planned;

    private static bool IsOpenFate(Fate f) =>
        f is Fate.Registered or Fate.Triaged or Fate.Returned or Fate.Assigned or Fate.InProgress or Fate.Reopened
            or Fate.Ledgered or Fate.Deliberating or Fate.Planned;
}
