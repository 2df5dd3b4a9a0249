// The demo year's people: residents of each village, council members, and the handler actor of each unit.
// Names and phone numbers are drawn once, before any meeting or case, and never repeat.
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    private void CreatePeople()
    {
        foreach (var v in _villages)
        {
            var people = new List<ReporterInfo>();
            var size = v.Kind == OrgUnitKind.Community ? 60 : 36;
            for (var i = 0; i < size; i++)
            {
                people.Add(new ReporterInfo(NewName(), Chance(0.92) ? NewPhone() : null));
            }
            _residents[v.Id] = people;
        }
        // Each council member lives in a village (in turn, so every village has one or two) and raises
        // that village's matters: a member who reports again does so from the same village.
        for (var i = 0; i < 15; i++)
        {
            var home = _villages[i % _villages.Count].Id;
            if (!_councilMembers.TryGetValue(home, out var members))
            {
                _councilMembers[home] = members = [];
            }
            members.Add(new ReporterInfo(NewName(), NewPhone()));
        }
    }

    private string NewName()
    {
        for (var i = 0; ; i++)
        {
            var given = Chance(0.55) ? Pick(DemoTexts.GivenMale) : Pick(DemoTexts.GivenFemale);
            var name = Pick(DemoTexts.Surnames) + given;
            if (_names.Add(name) || i > 20)
            {
                return name;
            }
        }
    }

    private string NewPhone()
    {
        while (true)
        {
            var phone = Pick(DemoTexts.MobilePrefixes) + _rng.Next(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            if (_phones.Add(phone))
            {
                return phone;
            }
        }
    }

    private ReporterInfo Resident(OrgUnit village) => Pick(_residents[village.Id]);

    /// <summary>A council member of the village raises a meeting's item about it (a resident where it has none).</summary>
    private ReporterInfo CouncilMember(OrgUnit village) =>
        _councilMembers.TryGetValue(village.Id, out var members) ? Pick(members) : Resident(village);

    private Actor Handler(OrgUnit unit)
    {
        if (!_handlers.TryGetValue(unit.Code, out var actor))
        {
            var name = unit.Kind switch
            {
                OrgUnitKind.Village => unit.Name + "村干部",
                OrgUnitKind.Community => unit.Name + "干部",
                OrgUnitKind.Town => unit.Name + "政府经办人",
                OrgUnitKind.Partner when unit.Code == "SCH-SFS" => unit.Name + "调解员",
                _ => unit.Name + "经办人",
            };
            actor = new Actor(ActorKind.Development, "demo-" + unit.Code, name);
            _handlers[unit.Code] = actor;
        }
        return actor;
    }

    private Actor Staff => Pick(DemoCatalogue.IntakeStaff);
}
