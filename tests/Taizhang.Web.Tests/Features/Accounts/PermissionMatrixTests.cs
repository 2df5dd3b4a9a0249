using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// The permission matrix, generated: every person of <see cref="TaizhangApp.People"/> × every case
/// route × in scope / out of scope. The expected answer is computed from <see cref="Permissions"/>
/// (the table the README prints and the endpoints enforce), never written by hand:
/// out of scope → 404; in scope and <c>Permissions.Allows(role, Permissions.For(action))</c> → 200;
/// otherwise → 403. A refused call must leave the case exactly as it was.
/// </summary>
/// <remarks>
/// "In scope" is derived from the person's post: an Area post at the town reaches every village;
/// a village post reaches that village (and, for a cadre, cases assigned to it); an AgencyHandler
/// reaches only cases assigned to their unit. Out of scope is a different village
/// (<see cref="OtherVillage"/>) and a different responsible unit (<see cref="OtherUnit"/>).
/// Area posts held at the town or the county reach every village of the test organisation (there
/// is one town), so no out-of-scope case can be made for them: their out-of-scope rows are not generated.
/// All cases are prepared once per app, in bulk, by "town"; each person signs in once.
/// </remarks>
public abstract class PermissionMatrixTests(TaizhangApp app)
{
    public const string Town = "SCH";
    /// <summary>A village nobody in People holds a post at.</summary>
    public const string OtherVillage = "SCH-LJC";
    /// <summary>A partner unit nobody in People belongs to.</summary>
    public const string OtherUnit = "SCH-NYZ";
    /// <summary>Where Assigned-scope people's in-scope cases are registered (neither cadre's village).</summary>
    private const string AgencyCaseVillage = "SCH-ZJC";

    public static TheoryData<string, string, bool> ActionRows()
    {
        var rows = new TheoryData<string, string, bool>();
        foreach (var user in TaizhangApp.People.Keys)
        {
            foreach (var route in CaseActionRoutes.All.Keys)
            {
                rows.Add(user, route, true);
                if (!IsTownLevel(user))
                {
                    rows.Add(user, route, false);
                }
            }
        }
        return rows;
    }

    public static TheoryData<string, bool> ReadRows()
    {
        var rows = new TheoryData<string, bool>();
        foreach (var user in TaizhangApp.People.Keys)
        {
            rows.Add(user, true);
            if (!IsTownLevel(user))
            {
                rows.Add(user, false);
            }
        }
        return rows;
    }

    /// <summary>In area / out of area; an Assigned-scope post has no area, so only its out-of-area row exists.</summary>
    public static TheoryData<string, bool> RegisterRows()
    {
        var rows = new TheoryData<string, bool>();
        foreach (var (user, post) in TaizhangApp.People)
        {
            if (Permissions.Scope(post.Role) is not ScopeKind.Assigned)
            {
                rows.Add(user, true);
            }
            if (!IsTownLevel(user))
            {
                rows.Add(user, false);
            }
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(ActionRows))]
    public async Task CaseAction_ByRole_InOrOutOfScope_MatchesPermissionTable(string user, string route, bool inScope)
    {
        var matrix = await MatrixAsync();
        var prepared = matrix.Actions[(user, route, inScope)];
        var (role, _, displayName) = TaizhangApp.People[user];
        var action = CaseActionRoutes.All[route];
        var expected = !inScope ? HttpStatusCode.NotFound
            : Permissions.Allows(role, Permissions.For(action)) ? CaseActionRoutes.Success(route)
            : HttpStatusCode.Forbidden;
        var town = matrix.Client("town");

        var before = await town.GetCaseAsync(prepared.Id);
        // The case is in a state where the action is legal, so a refusal can only come from access.
        if (action != CaseAction.ViewPersonalData)
        {
            Assert.Contains(action.ToString(), before.AllowedActionNames());
        }
        if (inScope && Permissions.Scope(role) is ScopeKind.Assigned)
        {
            Assert.Equal(TaizhangApp.People[user].Unit, before.AssigneeCode());
        }
        var survivorBefore = prepared.SurvivorId is { } s ? await town.SnapshotAsync(s) : default;

        using var response = await matrix.Client(user).ActAsync(prepared.Id, CaseActionRoutes.PathOf(route), prepared.Body);

        if (expected == CaseActionRoutes.Success(route))
        {
            var json = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == expected, $"{user} {route}: expected {expected}, got {response.StatusCode}: {json}");
            var after = await town.GetCaseAsync(prepared.Id);
            Assert.Equal(before.Events().Count + 1, after.Events().Count);
            Assert.Equal(action.ToString(), after.LastEvent()["action"]!.GetValue<string>());
            Assert.Equal(displayName, after.LastEvent()["actor"]!["name"]!.GetValue<string>());
            Assert.Equal("User", after.LastEvent()["actor"]!["kind"]!.GetValue<string>());
        }
        else
        {
            await response.AssertProblemAsync(expected, expected == HttpStatusCode.NotFound ? "not-found" : "forbidden");
            await town.AssertUnchangedAsync(prepared.Id, (before.Status(), before.Events().Count));
            if (prepared.SurvivorId is { } survivor)
            {
                await town.AssertUnchangedAsync(survivor, survivorBefore);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ReadRows))]
    public async Task ReadAndList_ByRole_InOrOutOfScope_MatchesPermissionTable(string user, bool inScope)
    {
        var matrix = await MatrixAsync();
        var prepared = matrix.Reads[(user, inScope)];
        var visible = inScope && Permissions.Allows(TaizhangApp.People[user].Role, Permission.ReadCases);
        var client = matrix.Client(user);

        using var response = await client.GetAsync($"/api/v1/cases/{prepared.Id}");
        if (visible)
        {
            var json = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user}: {response.StatusCode}: {json}");
            Assert.Equal(prepared.Id, json.Id());
        }
        else
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }

        var byCode = await client.ListAsync("q=" + Uri.EscapeDataString(prepared.TrackingCode) + "&pageSize=200");
        var byTitle = await client.ListAsync("q=" + Uri.EscapeDataString(prepared.Title) + "&pageSize=200");
        foreach (var page in new[] { byCode, byTitle })
        {
            Assert.Equal(visible, page.ItemIds().Contains(prepared.Id));
            Assert.Equal(visible ? 1 : 0, page.Total());
        }
    }

    [Theory]
    [MemberData(nameof(RegisterRows))]
    public async Task Register_ByRole_InOrOutOfArea_MatchesPermissionTable(string user, bool inArea)
    {
        var matrix = await MatrixAsync();
        var (role, _, displayName) = TaizhangApp.People[user];
        var unit = inArea ? AreaVillage(user) : OtherVillage;
        var expected = !Permissions.Allows(role, Permission.Register) ? HttpStatusCode.Forbidden
            : inArea ? HttpStatusCode.Created
            : HttpStatusCode.BadRequest;
        var before = await app.WithDbAsync(db => db.Cases.CountAsync());

        using var response = await matrix.Client(user).PostAsJsonAsync("/api/v1/cases",
            CaseApi.NewCase(title: $"矩阵登记 {user} {(inArea ? "内" : "外")}", orgUnit: unit));

        switch (expected)
        {
            case HttpStatusCode.Created:
                var json = await response.ReadJsonAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{user} at {unit}: {response.StatusCode}: {json}");
                var detail = await matrix.Client("town").GetCaseAsync(json.Id());
                Assert.Equal(unit, detail["orgUnit"]!["code"]!.GetValue<string>());
                Assert.Equal(displayName, detail.LastEvent()["actor"]!["name"]!.GetValue<string>());
                return;
            case HttpStatusCode.BadRequest:
                var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
                Assert.True(problem.Errors().ContainsKey("orgUnit"), problem.ToJsonString());
                break;
            default:
                await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
                break;
        }
        Assert.Equal(before, await app.WithDbAsync(db => db.Cases.CountAsync()));
    }

    /// <summary>The matrix covers every case action endpoint the API publishes, and every action a route performs.</summary>
    [Fact]
    public async Task Matrix_CoversEveryCaseActionRoute()
    {
        var matrix = await MatrixAsync();
        using var response = await matrix.Client("town").GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();
        const string prefix = "/api/v1/cases/{id}/";
        // The actions: every POST under a case (the GETs of its attachments read, like GET /cases/{id}).
        var published = paths.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Value?["post"] is not null)
            .Select(p => p.Key[prefix.Length..])
            // A mediation's later steps are the same action (Mediate) on a mediation the intake created:
            // MediationTests.EveryStep_OutOfScope404_WithoutPermission403 holds them to the same table.
            .Where(r => !r.StartsWith("mediation/", StringComparison.Ordinal))
            .Order().ToArray();
        Assert.Equal(CaseActionRoutes.All.Keys.Order().ToArray(), published);

        // A meeting's outcome for a topic is recorded through the meeting (its own permission tests), not a case route.
        var performed = Enum.GetValues<CaseAction>().Where(a => a is not CaseAction.Register and not CaseAction.AbsorbMerged and not CaseAction.DeliberationOutcome);
        Assert.Equal(performed.Order().ToArray(), CaseActionRoutes.All.Values.Order().ToArray());
        Assert.Equal(Enum.GetValues<Role>().Order().ToArray(), TaizhangApp.People.Values.Select(p => p.Role).Distinct().Order().ToArray());
    }

    /// <summary>
    /// An area post at the town or above it (the county) reaches every village of the one test town:
    /// no case can be out of its scope, so its out-of-scope rows are not generated.
    /// </summary>
    private static bool IsTownLevel(string user) =>
        TaizhangApp.People[user] is var (role, unit, _) && Permissions.Scope(role) is not ScopeKind.Assigned && TownOrAbove.Contains(unit);

    private static readonly string[] TownOrAbove = [Town, "ZX"];

    /// <summary>Where an in-scope case of <paramref name="user"/> is registered and who is responsible for it.</summary>
    private static (string Village, string Assignee, bool KeepAssignee) InScopePlacement(string user)
    {
        var (role, unit, _) = TaizhangApp.People[user];
        return Permissions.Scope(role) switch
        {
            ScopeKind.Area or ScopeKind.AreaOrAssigned => (AreaVillage(user), AreaVillage(user), false),
            // Only the responsible unit makes the case visible: it must stay assigned in every state.
            ScopeKind.Assigned => (AgencyCaseVillage, unit, true),
            _ => throw new InvalidOperationException(role.ToString()),
        };
    }

    /// <summary>A village inside the post's area: the post's own unit, or a village of the town.</summary>
    private static string AreaVillage(string user)
    {
        var unit = TaizhangApp.People[user].Unit;
        return TownOrAbove.Contains(unit) ? "SCH-MJC" : unit;
    }

    private sealed record Matrix(
        Func<string, HttpClient> Client,
        IReadOnlyDictionary<(string User, string Route, bool InScope), CaseActionRoutes.Prepared> Actions,
        IReadOnlyDictionary<(string User, bool InScope), CaseActionRoutes.Prepared> Reads);

    private static readonly ConditionalWeakTable<TaizhangApp, Lazy<Task<Matrix>>> Prepared = new();

    private Task<Matrix> MatrixAsync() => Prepared.GetValue(app, a => new Lazy<Task<Matrix>>(() => PrepareAsync(a))).Value;

    private static async Task<Matrix> PrepareAsync(TaizhangApp app)
    {
        HttpClient Client(string user) => app.SharedClientAs(user);

        var actionKeys = new List<(string, string, bool)>();
        var specs = new List<CaseActionRoutes.Spec>();
        foreach (var row in ActionRows())
        {
            var (user, route, inScope) = ((string)row[0], (string)row[1], (bool)row[2]);
            var (village, assignee, keep) = inScope ? InScopePlacement(user) : (OtherVillage, OtherUnit, false);
            actionKeys.Add((user, route, inScope));
            specs.Add(new CaseActionRoutes.Spec(route, village, assignee, keep, $"矩阵 {user} {route} {(inScope ? "内" : "外")}"));
        }
        var readKeys = new List<(string, bool)>();
        foreach (var row in ReadRows())
        {
            var (user, inScope) = ((string)row[0], (bool)row[1]);
            var (village, assignee, _) = inScope ? InScopePlacement(user) : (OtherVillage, OtherUnit, false);
            readKeys.Add((user, inScope));
            // Assigned, so that an Assigned-scope person's in-scope case is visible to them.
            specs.Add(new CaseActionRoutes.Spec("start", village, assignee, true, $"矩阵读取 {user} {(inScope ? "内" : "外")} {Guid.NewGuid():N}"));
        }

        // Sign everyone in once, concurrently, before the bulk preparation.
        await Task.WhenAll(TaizhangApp.People.Keys.Select(async u =>
        {
            using var r = await Client(u).GetAsync("/api/v1/session");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }));

        var prepared = await CaseActionRoutes.PrepareManyAsync(Client("town"), specs, requester: Client("town-desk"));
        var actions = actionKeys.Select((k, i) => (k, prepared[i])).ToDictionary(x => x.k, x => x.Item2);
        var reads = readKeys.Select((k, i) => (k, prepared[actionKeys.Count + i])).ToDictionary(x => x.k, x => x.Item2);
        return new Matrix(Client, actions, reads);
    }
}

/// <summary>
/// The case action routes, a state each is legal in, and a valid body for each: shared by the
/// access tests so that a refusal can only come from access, never from the case's state.
/// </summary>
public static class CaseActionRoutes
{
    public static readonly IReadOnlyDictionary<string, CaseAction> All = new Dictionary<string, CaseAction>
    {
        ["triage"] = CaseAction.Triage,
        ["assign"] = CaseAction.Assign,
        ["start"] = CaseAction.Start,
        ["return"] = CaseAction.Return,
        ["transfer"] = CaseAction.Transfer,
        ["resolve"] = CaseAction.Resolve,
        ["follow-up"] = CaseAction.FollowUp,
        ["reopen"] = CaseAction.Reopen,
        ["reject"] = CaseAction.Reject,
        ["merge"] = CaseAction.Merge,
        ["deliberate"] = CaseAction.Deliberate,
        ["plan"] = CaseAction.Plan,
        ["reporters"] = CaseAction.AddReporter,
        ["personal-data"] = CaseAction.ViewPersonalData,
        ["attachments"] = CaseAction.AddAttachment,
        ["disclosures"] = CaseAction.Disclose,
        ["plan/steps/{n}/progress"] = CaseAction.PlanProgress,
        ["mediation"] = CaseAction.Mediate,
        ["measures"] = CaseAction.RecordMeasures,
        ["request-extension"] = CaseAction.RequestExtension,
        ["decide-extension"] = CaseAction.DecideExtension,
        ["request-suspension"] = CaseAction.RequestSuspension,
        ["decide-suspension"] = CaseAction.DecideSuspension,
        ["resume"] = CaseAction.Resume,
        ["remind"] = CaseAction.Remind,
        ["notify"] = CaseAction.Notify,
        ["supervise"] = CaseAction.Supervise,
        ["contact"] = CaseAction.Contact,
    };

    /// <summary>The route as a path: a route with a step number ({n}) names the first step.</summary>
    public static string PathOf(string route) => route.Replace("{n}", "1", StringComparison.Ordinal);

    /// <summary>What an allowed call answers: 200 with the case, or 201 with the attachment it created.</summary>
    public static HttpStatusCode Success(string route) => route is "attachments" or "disclosures" ? HttpStatusCode.Created : HttpStatusCode.OK;

    /// <summary>A small PNG, generated once.</summary>
    private static readonly Lazy<byte[]> Png = new(() => TestFiles.Png(8, 6));

    /// <summary>A unit no prepared case is ever assigned to, so a transfer there is always a real move.</summary>
    public const string TransferTarget = "SCH-ZWB";

    /// <summary>What to prepare: register at <paramref name="OrgUnit"/> and bring the case to a state where <paramref name="Route"/> is legal.</summary>
    /// <param name="Assignee">The responsible unit in states that have one (and the unit an assign names).</param>
    /// <param name="KeepAssignee">Reach the state without ever dropping the responsible unit (a reopened case keeps it).</param>
    public sealed record Spec(string Route, string OrgUnit, string Assignee, bool KeepAssignee, string Title);

    public sealed record Prepared(long Id, string TrackingCode, string Title, long? SurvivorId, object? Body);

    private enum Step { TriageDirect, TriageDirectAssign, TriageTopic, Resolve, Reopen, Deliberate, PlanSteps, RequestExtension, RequestSuspension, Suspend }

    private static Step[] PathTo(CaseAction action, bool keepAssignee) => (action, keepAssignee) switch
    {
        (CaseAction.Triage or CaseAction.Reject or CaseAction.Merge, false) => [], // Registered
        (CaseAction.Assign, false) => [Step.TriageDirect], // Triaged
        (CaseAction.Deliberate, false) => [Step.TriageTopic], // Ledgered
        (CaseAction.Plan, false) => [Step.TriageTopic, Step.Deliberate], // Deliberating
        (CaseAction.FollowUp or CaseAction.Reopen or CaseAction.Disclose or CaseAction.RecordMeasures, _) => [Step.TriageDirectAssign, Step.Resolve], // Resolved
        (CaseAction.Triage or CaseAction.Assign, true) => [Step.TriageDirectAssign, Step.Resolve, Step.Reopen], // Reopened
        (CaseAction.Reject, true) => [Step.TriageDirectAssign, Step.Resolve, Step.Reopen, Step.TriageDirect], // Triaged
        (CaseAction.Deliberate, true) => [Step.TriageDirectAssign, Step.Resolve, Step.Reopen, Step.TriageTopic], // Ledgered
        (CaseAction.Plan, true) => [Step.TriageDirectAssign, Step.Resolve, Step.Reopen, Step.TriageTopic, Step.Deliberate], // Deliberating
        (CaseAction.PlanProgress, false) => [Step.TriageTopic, Step.Deliberate, Step.PlanSteps], // Planned, with a step
        (CaseAction.PlanProgress, true) => [Step.TriageDirectAssign, Step.Resolve, Step.Reopen, Step.TriageTopic, Step.Deliberate, Step.PlanSteps],
        // A decision needs a request waiting; resuming needs a suspension in force.
        (CaseAction.DecideExtension, _) => [Step.TriageDirectAssign, Step.RequestExtension],
        (CaseAction.DecideSuspension, _) => [Step.TriageDirectAssign, Step.RequestSuspension],
        (CaseAction.Resume, _) => [Step.TriageDirectAssign, Step.RequestSuspension, Step.Suspend],
        // start, return, transfer, resolve, merge, add reporter, reveal, the other deadline actions: Assigned.
        _ => [Step.TriageDirectAssign],
    };

    /// <summary>A valid body for the route on a case prepared from <paramref name="spec"/>.</summary>
    public static object? Body(Spec spec, long? survivorId) => spec.Route switch
    {
        "triage" => new { track = "Direct" },
        "assign" => new { unit = spec.Assignee },
        "start" or "personal-data" => null,
        "return" => new { reason = "不属于本单位职责，请镇上重新分派" },
        "transfer" => new { toUnit = TransferTarget, reason = "属于综治办职责" },
        "resolve" => new { outcome = "Solved", result = "已现场处理完毕" },
        "follow-up" => new { satisfaction = "Satisfied", note = "群众表示满意" },
        "reopen" => new { reason = "群众反映问题仍未解决" },
        "reject" => new { reason = "不属于本镇受理范围" },
        "merge" => new { into = survivorId, reason = "同一事项" },
        "deliberate" => new { },
        "plan" => new { plan = "召开村民议事会，分两期实施" },
        "reporters" => new { name = "李秀英", phone = "13700001111" },
        "attachments" => TestFiles.Multipart(Png.Value, "现场照片.png"),
        "disclosures" => new { kind = "Result", title = "道路修复实施结果", body = "道路已修复完毕，欢迎监督。" },
        "plan/steps/{n}/progress" => new { progress = 50, note = "已完成一半" },
        // Mediation intake (受理登记) on an assigned dispute.
        "mediation" => new
        {
            disputeType = "Neighbour", source = "PartyApplication", summary = "两户因排水沟发生争执", riskGrade = "Yellow",
            leaderName = "张副书记", mediators = "李调解员",
            parties = new object[] { new { role = "Applicant", name = "王秀英", phone = "13700001111" }, new { role = "Respondent", name = "赵建国" } },
        },
        "measures" => new { measures = new Dictionary<string, int> { ["jobs"] = 3 } },
        "request-extension" => new { newDueDate = "2099-12-31", reason = "需协调县水务局，申请延期" },
        "decide-extension" => new { approve = true, note = "同意" },
        "request-suspension" => new { reason = "等待法院判决" },
        "decide-suspension" => new { approve = true },
        "resume" => new { note = "法院已判决" },
        "remind" => new { note = "请抓紧办理" },
        "notify" => new { note = "催办后仍未办理，予以通报" },
        "supervise" => new { level = "Yellow", deadline = "2099-12-31", note = "群众反映强烈，黄牌督办" },
        "contact" => new { note = "已电话联系群众" },
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Route, null),
    };

    /// <summary>
    /// Registers every case (and a survivor for each merge), then walks them all, step by step, in parallel.
    /// <paramref name="requester"/>: another town-staff client that asks for the extensions and suspensions
    /// (nobody decides their own request, so <paramref name="town"/> may then decide them).
    /// </summary>
    public static async Task<IReadOnlyList<Prepared>> PrepareManyAsync(HttpClient town, IReadOnlyList<Spec> specs, int parallelism = 8,
        HttpClient? requester = null)
    {
        using var gate = new SemaphoreSlim(parallelism);
        async Task<T> Throttled<T>(Func<Task<T>> work)
        {
            await gate.WaitAsync();
            try
            {
                return await work();
            }
            finally
            {
                gate.Release();
            }
        }

        var registered = await Task.WhenAll(specs.Select(s => Throttled(async () =>
        {
            var c = await town.RegisterAsync(CaseApi.NewCase(title: s.Title, orgUnit: s.OrgUnit));
            long? survivor = s.Route == "merge"
                ? await town.RegisterIdAsync(CaseApi.NewCase(title: s.Title + "（合并目标）", orgUnit: s.OrgUnit, phone: "13600002222"))
                : null;
            return (Id: c.Id(), Code: c.TrackingCode(), Survivor: survivor);
        })));
        var paths = specs.Select(s => PathTo(All[s.Route], s.KeepAssignee)).ToArray();
        for (var step = 0; step < paths.Max(p => p.Length); step++)
        {
            var current = step;
            await Task.WhenAll(Enumerable.Range(0, specs.Count).Where(i => paths[i].Length > current).Select(i => Throttled(async () =>
            {
                await RunAsync(town, requester ?? town, registered[i].Id, paths[i][current], specs[i].Assignee);
                return true;
            })));
        }
        return specs.Select((s, i) => new Prepared(registered[i].Id, registered[i].Code, s.Title, registered[i].Survivor, Body(s, registered[i].Survivor)))
            .ToList();
    }

    /// <summary>Registers one case and brings it to a state where <paramref name="route"/> is legal.</summary>
    public static async Task<Prepared> PrepareAsync(HttpClient town, string route, string orgUnit, string assignee, bool keepAssignee = false, string? title = null) =>
        (await PrepareManyAsync(town, [new Spec(route, orgUnit, assignee, keepAssignee, title ?? $"{route} {orgUnit} {Guid.NewGuid():N}")]))[0];

    /// <summary>Five days more than the case has (within what the office approves without a leader), asked for by <paramref name="requester"/>.</summary>
    private static async Task RequestExtensionAsync(HttpClient town, HttpClient requester, long id)
    {
        var due = DateOnly.ParseExact((await town.GetCaseAsync(id))["dueDate"]!.GetValue<string>(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await requester.DoAsync(id, "request-extension", new { newDueDate = due.AddDays(5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reason = "工程量大，申请延期" });
    }

    /// <summary>A plan with one step (the responsible unit's), due far ahead: the plan's progress is then legal.</summary>
    private static async Task<JsonObject> PlanStepsAsync(HttpClient town, long id, string assignee)
    {
        using var response = await town.PutAsJsonAsync($"/api/v1/cases/{id}/plan",
            new { summary = "分步实施", steps = new[] { new { title = "第一步", unit = assignee, targetDate = "2099-12-31" } } });
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"plan: {response.StatusCode}: {json}");
        return json;
    }

    private static Task RunAsync(HttpClient town, HttpClient requester, long id, Step step, string assignee) => step switch
    {
        Step.TriageDirect => town.DoAsync(id, "triage", new { track = "Direct" }),
        Step.TriageDirectAssign => town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = assignee }),
        Step.TriageTopic => town.DoAsync(id, "triage", new { track = "Topic" }),
        Step.Resolve => town.DoAsync(id, "resolve", new { outcome = "Explained", result = "已向群众解释说明" }),
        Step.Reopen => town.DoAsync(id, "reopen", new { reason = "领导督办，重新办理" }),
        Step.Deliberate => town.DoAsync(id, "deliberate", new { }),
        Step.PlanSteps => PlanStepsAsync(town, id, assignee),
        Step.RequestExtension => RequestExtensionAsync(town, requester, id),
        Step.RequestSuspension => requester.DoAsync(id, "request-suspension", new { reason = "等待县里资金下达" }),
        Step.Suspend => town.DoAsync(id, "decide-suspension", new { approve = true }),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };
}

public sealed class PermissionMatrixTests_Sqlite(SqliteApp app) : PermissionMatrixTests(app), IClassFixture<SqliteApp>;

public sealed class PermissionMatrixTests_Postgres(PostgresApp app) : PermissionMatrixTests(app), IClassFixture<PostgresApp>;
