// How each case arrives: an accepted case's channel, category, place, urgency and time; the rejected
// ones and the duplicates (their stories are short: refused, or merged into an earlier report);
// and the registration itself, applied when the plans are played.
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    private void PlanAccepted(Plan p)
    {
        var (fromDays, toDays) = AgeWindow(p);
        var lo = _end.AddDays(-fromDays);
        var hi = _end.AddDays(-toDays);
        var topic = IsTopicFate(p.Fate);

        // Channel, and the meeting a meeting item came from.
        p.Channel = IsOpenFate(p.Fate) && !topic && toDays < 2
            ? PickWeighted([(Channel.Hotline, 4), (Channel.WeChat, 3), (Channel.Web, 1), (Channel.WalkIn, 2)])
            : topic && Chance(0.35) ? Channel.Meeting : PickWeighted(DemoCatalogue.ChannelWeights);
        if (p.Channel == Channel.Meeting)
        {
            p.FromMeeting = PickMeeting(lo, hi);
            if (p.FromMeeting is null)
            {
                p.Channel = Channel.WalkIn;
            }
        }

        // Category and template.
        var hint = p.FromMeeting is { } m ? _meetingCategory[m] : null;
        var category = hint is not null && Chance(0.6) ? hint
            : p.Fate == Fate.Closed && _categoryQuota.Count > 0 ? _categoryQuota.Dequeue()
            : PickWeighted(DemoCatalogue.CategoryWeights);
        if (hint == "dispute-family" && Chance(0.5))
        {
            category = Chance(0.5) ? "dispute-marriage" : "dispute-neighbour";
        }
        var candidates = DemoTexts.Templates.Where(t => t.Category == category && (!topic || t.Plan is not null)).ToList();
        if (candidates.Count == 0)
        {
            candidates = DemoTexts.Templates.Where(t => t.Plan is not null).ToList();
        }
        p.Template = Pick(candidates);
        p.CategoryCode = p.Template.Category;
        if (p.Template.Description.StartsWith("包村干部", StringComparison.Ordinal) && p.Channel != Channel.Meeting)
        {
            p.Channel = Channel.CadreVisit;
        }

        // Where.
        if (p.Template.Urban)
        {
            p.Village = _units["SCH-JSQ"];
        }
        else if (p.FromMeeting is { } fm && fm.OrgUnitId != _town.Id)
        {
            p.Village = _villages.First(v => v.Id == fm.OrgUnitId);
        }
        else
        {
            p.Village = PickWeighted(_villages.Select(v => (v, v.Kind == OrgUnitKind.Community ? 2 : 1)).ToArray());
        }
        p.Unit = p.Template.Title.Contains("{g}", StringComparison.Ordinal) && Chance(0.7)
            ? Pick(_groups[p.Village.Id])
            : p.Village;

        // How urgent: near the template's, topics not urgent, open cases not about to lapse by accident.
        p.Urgency = Near(p.Template.Urgency);
        if (topic)
        {
            p.Urgency = Chance(0.85) ? Urgency.Low : Urgency.Normal;
        }
        else if (p.Fate is Fate.Returned or Fate.InProgress && p.Overdue)
        {
            p.Urgency = Urgency.Normal;
        }
        else if (IsOpenFate(p.Fate) && p.Urgency is Urgency.Urgent)
        {
            p.Urgency = Urgency.High;
        }
        else if (p.Fate is Fate.Registered or Fate.Triaged && p.Urgency is Urgency.High)
        {
            p.Urgency = Urgency.Normal;
        }
        p.RegUrgency = Chance(0.8) || p.Fate == Fate.Registered ? p.Urgency : Urgency.Normal;
        p.CategoryAtRegistration = p.Channel is Channel.WalkIn or Channel.CadreVisit or Channel.Meeting || Chance(0.4);
        p.Reporter = p.Channel switch
        {
            Channel.Meeting => CouncilMember(p.Village),
            Channel.CadreVisit => Chance(0.6) ? Resident(p.Village) : null,
            Channel.HigherLevel => Chance(0.7) ? Resident(p.Village) : null,
            _ => Resident(p.Village),
        };
        p.Title = Render(p.Template.Title, p);
        p.Body = Render(p.Template.Description, p);

        // When, and the steps; move earlier while the plan would run past the end of the year.
        for (var attempt = 0; ; attempt++)
        {
            p.Steps.Clear();
            p.FirstResolvedAt = null;
            if (p.Channel == Channel.Meeting)
            {
                var meeting = p.FromMeeting!.HeldAt >= lo && p.FromMeeting.HeldAt < hi ? p.FromMeeting : PickMeeting(lo, hi);
                if (meeting is null)
                {
                    p.Channel = Channel.WalkIn;
                    p.FromMeeting = null;
                    p.Reporter = Resident(p.Village);
                    continue;
                }
                p.FromMeeting = meeting;
                p.RegisteredAt = meeting.HeldAt.AddMinutes(_rng.Next(30, 150));
            }
            else
            {
                p.RegisteredAt = PickRegistration(p.Channel, p.CategoryCode, lo, hi);
            }
            if (topic)
            {
                PlanTopic(p);
            }
            else
            {
                PlanDirect(p);
            }
            var last = p.LastAt;
            if (last < _end)
            {
                return;
            }
            if (attempt >= 12)
            {
                p.Steps.RemoveAll(s => s.At >= _end);
                return;
            }
            var width = hi - lo;
            hi = p.RegisteredAt - (last - _end) - TimeSpan.FromHours(1);
            lo = hi - width;
            if (lo < _start)
            {
                lo = _start;
            }
            if (hi <= lo)
            {
                hi = lo.AddHours(12);
            }
            if (p.FromMeeting is not null && (p.FromMeeting.HeldAt < lo || p.FromMeeting.HeldAt >= hi))
            {
                p.FromMeeting = PickMeeting(lo, hi) ?? p.FromMeeting;
            }
        }
    }

    private void PlanRejected(Plan p)
    {
        var template = Pick(DemoTexts.Rejections);
        var (fromDays, toDays) = AgeWindow(p);
        p.CategoryCode = template.Category;
        p.Channel = template.Title == "测试信息" ? Channel.Web
            : template.Title.StartsWith("反映", StringComparison.Ordinal) ? Channel.WeChat
            : PickWeighted([(Channel.WalkIn, 3), (Channel.Hotline, 3), (Channel.Petition, 1), (Channel.Web, 1)]);
        p.Village = Pick(_villages);
        p.Unit = p.Village;
        p.Urgency = p.RegUrgency = Urgency.Normal;
        p.CategoryAtRegistration = Chance(0.5);
        p.Reporter = Resident(p.Village);
        p.Title = template.Title;
        p.Body = template.Description;
        p.RegisteredAt = PickRegistration(p.Channel, p.CategoryCode, _end.AddDays(-fromDays), _end.AddDays(-toDays));
        var staff = Staff;
        var t = p.RegisteredAt;
        if (Chance(0.3))
        {
            t = Office(t.AddHours(U(0.5, 6)));
            var category = _categories[p.CategoryCode];
            p.Add(t, (c, at) => c.Triage(Track.Direct, Urgency.Normal, category.Id, null, _due, staff, at));
        }
        t = Office(t.AddHours(U(1, 40)));
        var reason = template.Reason;
        p.Add(t, (c, at) => c.Reject(reason, staff, at));
    }

    /// <summary>A later report of the survivor's matter by another resident, merged into it while it is handled.</summary>
    private void PlanDuplicate(Plan p, Plan survivor)
    {
        p.Template = survivor.Template;
        p.CategoryCode = survivor.CategoryCode;
        p.Village = survivor.Village;
        p.Unit = survivor.Unit;
        p.Urgency = p.RegUrgency = survivor.RegUrgency;
        p.Channel = PickWeighted([(Channel.Hotline, 8), (Channel.WeChat, 5), (Channel.WalkIn, 4), (Channel.Web, 2), (Channel.LivelihoodPlatform, 1)]);
        p.CategoryAtRegistration = Chance(0.5);
        var reporter = Resident(p.Village);
        if (survivor.Reporter is not null && reporter.Phone == survivor.Reporter.Phone)
        {
            reporter = Resident(p.Village);
        }
        p.Reporter = reporter;
        p.Title = survivor.Title;
        p.Body = survivor.Body;

        var limit = survivor.FirstResolvedAt!.Value;
        var window = TimeSpan.FromTicks(Math.Min((limit - survivor.RegisteredAt).Ticks, TimeSpan.FromDays(10).Ticks));
        var reg = survivor.RegisteredAt + (window * U(0.05, 0.6));
        var snapped = p.Channel is Channel.WalkIn or Channel.LivelihoodPlatform ? Office(reg) : Awake(reg);
        p.RegisteredAt = snapped < limit.AddHours(-2) ? snapped : reg;
        var merge = p.RegisteredAt + ((limit - p.RegisteredAt) * U(0.2, 0.8));
        var mergeAt = Office(merge);
        if (mergeAt >= limit)
        {
            mergeAt = merge;
        }
        var staff = Staff;
        if (Chance(0.4))
        {
            var at0 = p.RegisteredAt + ((mergeAt - p.RegisteredAt) * 0.4);
            var category = _categories[p.CategoryCode];
            p.Add(at0, (c, at) => c.Triage(Track.Direct, p.Urgency, category.Id, null, _due, staff, at));
        }
        // Tracking codes are drawn once all cases are planned: read the survivor's when the merge happens.
        p.Add(mergeAt, (c, at) => c.MergeInto(survivor.Case!, DemoTexts.MergeReason(survivor.TrackingCode), staff, at));
        p.DeferFrom = mergeAt;
        if (mergeAt < survivor.DeferFrom)
        {
            survivor.DeferFrom = mergeAt;
        }
    }

    private Meeting? PickMeeting(DateTime lo, DateTime hi)
    {
        var fits = _meetings.Where(m => m.HeldAt >= lo && m.HeldAt < hi.AddHours(-3)).ToList();
        return fits.Count == 0 ? null : Pick(fits);
    }

    private Case Register(Plan p)
    {
        var category = _categories[p.CategoryCode];
        var lead = DemoTexts.ChannelLead(p.Channel, p.FromMeeting?.Title);
        var description = p.Body.StartsWith("包村干部", StringComparison.Ordinal) && p.Channel == Channel.CadreVisit
            ? p.Body
            : lead + p.Body;
        var registrar = p.Channel switch
        {
            Channel.Hotline => DemoCatalogue.Operator,
            Channel.WeChat or Channel.Web or Channel.Open311 or Channel.LivelihoodPlatform => DemoCatalogue.DemoActor,
            Channel.CadreVisit => Handler(p.Village),
            _ => DemoCatalogue.IntakeStaff[p.Index % DemoCatalogue.IntakeStaff.Length],
        };
        return Case.Register(
            _town.Id,
            p.Unit.Id,
            p.Channel,
            p.Title,
            description,
            p.RegUrgency,
            p.CategoryAtRegistration ? category.Id : null,
            p.Reporter,
            new GeoLocation(null, null, "甘肃省定西市漳县三岔镇" + (p.Unit.Id == p.Village.Id ? p.Village.Name : p.Unit.Name)),
            ExternalRef(p),
            null,
            p.FromMeeting?.Id,
            p.TrackingCode,
            _due,
            registrar,
            p.RegisteredAt,
            id: p.CaseId);
    }

    private string? ExternalRef(Plan p)
    {
        var date = _due.LocalDate(p.RegisteredAt).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return p.Channel switch
        {
            Channel.HigherLevel => $"DC{date}{++_externalSeq:D4}",
            Channel.Petition => $"XF{date}{++_externalSeq:D4}",
            Channel.LivelihoodPlatform => $"MS{date}{++_externalSeq:D4}",
            Channel.Open311 => $"311-{++_externalSeq:D6}",
            _ => null,
        };
    }

    private static string Render(string text, Plan p) => DemoTexts.Fill(text, p.Village.Name, p.Unit.Name);
}
