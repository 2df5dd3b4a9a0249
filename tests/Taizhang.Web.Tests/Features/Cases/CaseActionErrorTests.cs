using System.Net;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>Refused requests: illegal transitions, field errors, unknown cases. Nothing is ever written.</summary>
public abstract class CaseActionErrorTests(TaizhangApp app)
{
    // ---- illegal transitions (409) ----

    [Fact]
    public async Task Resolve_RegisteredCase_Is409IllegalTransitionNamingStateInChinese()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        var before = await client.SnapshotAsync(id);

        using var response = await client.ActAsync(id, "resolve", new { outcome = "Solved", result = "已办" });
        var problem = await AssertIllegalAsync(response, "Registered", "Resolve");
        var title = problem["title"]!.GetValue<string>();
        Assert.Contains("已登记", title);
        Assert.Contains("办结", title);
        await client.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task IllegalTransition_TitleIsEnglishWhenAsked()
    {
        var client = app.ClientAs();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var id = await client.RegisterIdAsync();
        using var response = await client.ActAsync(id, "start");
        var problem = await AssertIllegalAsync(response, "Registered", "Start");
        Assert.Equal("The case is registered; it cannot be started.", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task FollowUp_InProgressCase_Is409()
    {
        var client = app.ClientAs();
        var id = await InProgressAsync(client);
        var before = await client.SnapshotAsync(id);

        using var response = await client.ActAsync(id, "follow-up", new { satisfaction = "Satisfied" });
        var problem = await AssertIllegalAsync(response, "InProgress", "FollowUp");
        Assert.Contains("办理中", problem["title"]!.GetValue<string>());
        await client.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Start_RejectedCase_Is409()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "reject", new { reason = "重复反映" });
        var before = await client.SnapshotAsync(id);

        using var response = await client.ActAsync(id, "start");
        var problem = await AssertIllegalAsync(response, "Rejected", "Start");
        Assert.Contains("不予受理", problem["title"]!.GetValue<string>());
        await client.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task OtherIllegalMoves_Are409()
    {
        var client = app.ClientAs();
        var registered = await client.RegisterIdAsync();
        var closed = await client.RegisterIdAsync();
        await client.DoAsync(closed, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await client.DoAsync(closed, "resolve", new { outcome = "Solved", result = "已办" });
        await client.DoAsync(closed, "follow-up", new { satisfaction = "Satisfied" });

        var cases = new (long Id, string Action, object? Body, string State, string DomainAction)[]
        {
            (registered, "start", null, "Registered", "Start"),
            (registered, "assign", new { unit = "SCH-MJC" }, "Registered", "Assign"),
            (registered, "return", new { reason = "不归我们管" }, "Registered", "Return"),
            (registered, "transfer", new { toUnit = "SCH-SFS", reason = "转司法所" }, "Registered", "Transfer"),
            (registered, "follow-up", new { satisfaction = "Satisfied" }, "Registered", "FollowUp"),
            (registered, "reopen", new { reason = "再办" }, "Registered", "Reopen"),
            (registered, "deliberate", new { }, "Registered", "Deliberate"),
            (registered, "plan", new { plan = "计划" }, "Registered", "Plan"),
            (closed, "resolve", new { outcome = "Solved", result = "再办一次" }, "FollowedUp", "Resolve"),
            (closed, "follow-up", new { satisfaction = "Unsatisfied" }, "FollowedUp", "FollowUp"),
            (closed, "reject", new { reason = "不予受理" }, "FollowedUp", "Reject"),
            (closed, "triage", new { track = "Direct" }, "FollowedUp", "Triage"),
        };
        foreach (var (id, action, body, state, domainAction) in cases)
        {
            var before = await client.SnapshotAsync(id);
            using var response = await client.ActAsync(id, action, body);
            await AssertIllegalAsync(response, state, domainAction);
            await client.AssertUnchangedAsync(id, before);
        }
    }

    [Fact]
    public async Task AnythingOnAMergedCase_Is409()
    {
        var client = app.ClientAs();
        var survivor = await client.RegisterIdAsync(CaseApi.NewCase(title: "合并目标"));
        var other = await client.RegisterIdAsync(CaseApi.NewCase(title: "另一事项"));
        var merged = await client.RegisterIdAsync(CaseApi.NewCase(title: "被合并事项", reporterName: "李建国", phone: "13800001111"));
        await client.DoAsync(merged, "merge", new { into = survivor });
        var before = await client.SnapshotAsync(merged);
        var survivorBefore = await client.SnapshotAsync(survivor);
        var otherBefore = await client.SnapshotAsync(other);

        var attempts = new (string Action, object? Body, string DomainAction)[]
        {
            ("triage", new { track = "Direct", assigneeUnit = "SCH-MJC" }, "Triage"),
            ("assign", new { unit = "SCH-MJC" }, "Assign"),
            ("start", null, "Start"),
            ("return", new { reason = "退回" }, "Return"),
            ("transfer", new { toUnit = "SCH-SFS", reason = "转办" }, "Transfer"),
            ("resolve", new { outcome = "Solved", result = "已办" }, "Resolve"),
            ("follow-up", new { satisfaction = "Satisfied" }, "FollowUp"),
            ("reopen", new { reason = "重新办理" }, "Reopen"),
            ("reject", new { reason = "不予受理" }, "Reject"),
            ("merge", new { into = other }, "Merge"),
            ("deliberate", new { }, "Deliberate"),
            ("plan", new { plan = "计划" }, "Plan"),
            ("reporters", new { name = "李明", phone = "13711112222" }, "AddReporter"),
        };
        foreach (var (action, body, domainAction) in attempts)
        {
            using var response = await client.ActAsync(merged, action, body);
            var problem = await AssertIllegalAsync(response, "Merged", domainAction);
            Assert.Contains("已合并", problem["title"]!.GetValue<string>());
        }
        await client.AssertUnchangedAsync(merged, before);
        await client.AssertUnchangedAsync(survivor, survivorBefore);
        await client.AssertUnchangedAsync(other, otherBefore);
    }

    // ---- field errors (400) ----

    [Fact]
    public async Task Return_Reject_Reopen_WithoutReason_AreFieldErrors()
    {
        var client = app.ClientAs();
        var assigned = await AssignedAsync(client);
        var registered = await client.RegisterIdAsync();
        var resolved = await AssignedAsync(client);
        await client.DoAsync(resolved, "resolve", new { outcome = "Solved", result = "已办" });

        foreach (var (id, action) in new[] { (assigned, "return"), (registered, "reject"), (resolved, "reopen") })
        {
            var before = await client.SnapshotAsync(id);
            await client.AssertFieldErrorAsync(id, action, new { }, "reason");
            await client.AssertFieldErrorAsync(id, action, new { reason = "   " }, "reason");
            await client.AssertFieldErrorAsync(id, action, new { reason = new string('长', 1001) }, "reason");
            await client.AssertUnchangedAsync(id, before);
        }
    }

    [Fact]
    public async Task Transfer_WithoutToUnitOrReason_ToSameUnit_AreFieldErrors()
    {
        var client = app.ClientAs();
        var id = await AssignedAsync(client);
        var before = await client.SnapshotAsync(id);

        await client.AssertFieldErrorAsync(id, "transfer", new { reason = "转司法所" }, "toUnit");
        var both = await client.AssertFieldErrorAsync(id, "transfer", new { }, "toUnit");
        Assert.True(both.Errors().ContainsKey("reason"), both.ToJsonString());
        await client.AssertFieldErrorAsync(id, "transfer", new { toUnit = "SCH-SFS" }, "reason");
        await client.AssertFieldErrorAsync(id, "transfer", new { toUnit = "SCH-MJC", reason = "还是本村" }, "toUnit");
        var unknown = await client.AssertFieldErrorAsync(id, "transfer", new { toUnit = "NOPE", reason = "转办" }, "toUnit");
        Assert.Contains("NOPE", unknown.Errors()["toUnit"]![0]!.GetValue<string>());
        await client.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Resolve_WithoutOrWithInvalidOutcomeOrResult_AreFieldErrors()
    {
        var client = app.ClientAs();
        var id = await InProgressAsync(client);
        var before = await client.SnapshotAsync(id);

        var missing = await client.AssertFieldErrorAsync(id, "resolve", new { }, "outcome");
        Assert.True(missing.Errors().ContainsKey("result"), missing.ToJsonString());
        await client.AssertFieldErrorAsync(id, "resolve", new { outcome = "Solved" }, "result");
        await client.AssertFieldErrorAsync(id, "resolve", new { result = "已办" }, "outcome");
        foreach (var bad in new[] { "Fixed", "0", "3" })
        {
            var invalid = await client.AssertFieldErrorAsync(id, "resolve", new { outcome = bad, result = "已办" }, "outcome");
            var message = invalid.Errors()["outcome"]![0]!.GetValue<string>();
            Assert.Contains("Solved", message);
            Assert.Contains("PartlySolved", message);
            Assert.Contains("Explained", message);
        }
        await client.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task FollowUp_InvalidOrMissingSatisfaction_IsFieldError()
    {
        var client = app.ClientAs();
        var id = await AssignedAsync(client);
        await client.DoAsync(id, "resolve", new { outcome = "Solved", result = "已办" });
        var before = await client.SnapshotAsync(id);

        var invalid = await client.AssertFieldErrorAsync(id, "follow-up", new { satisfaction = "Happy" }, "satisfaction");
        var message = invalid.Errors()["satisfaction"]![0]!.GetValue<string>();
        Assert.Contains("Satisfied", message);
        Assert.Contains("BasicallySatisfied", message);
        Assert.Contains("Unsatisfied", message);
        await client.AssertFieldErrorAsync(id, "follow-up", new { note = "没说" }, "satisfaction");
        await client.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Triage_WithoutOrInvalidTrack_TopicWithAssignee_UnknownCategory_AreFieldErrors()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        var before = await client.SnapshotAsync(id);

        await client.AssertFieldErrorAsync(id, "triage", new { urgency = "High" }, "track");
        var invalid = await client.AssertFieldErrorAsync(id, "triage", new { track = "Fast" }, "track");
        Assert.Contains("Direct", invalid.Errors()["track"]![0]!.GetValue<string>());
        await client.AssertFieldErrorAsync(id, "triage", new { track = "Direct", urgency = "Whenever" }, "urgency");
        await client.AssertFieldErrorAsync(id, "triage", new { track = "Topic", assigneeUnit = "SCH-MJC" }, "assigneeUnit");
        await client.AssertFieldErrorAsync(id, "triage", new { track = "Direct", category = "no-such-category" }, "category");
        await client.AssertFieldErrorAsync(id, "triage", new { track = "Direct", assigneeUnit = "ZX" }, "assigneeUnit");
        await client.AssertUnchangedAsync(id, before);
        var after = await client.GetCaseAsync(id);
        Assert.Null(after["track"]);
        Assert.Equal("Normal", after["urgency"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assign_ToUnknownUnitOrCountyOrNothing_AreFieldErrors()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "triage", new { track = "Direct" });
        var before = await client.SnapshotAsync(id);
        Assert.Equal("Triaged", before.Status);

        var unknown = await client.AssertFieldErrorAsync(id, "assign", new { unit = "NOPE" }, "unit");
        Assert.Contains("NOPE", unknown.Errors()["unit"]![0]!.GetValue<string>());
        var county = await client.AssertFieldErrorAsync(id, "assign", new { unit = "ZX" }, "unit");
        Assert.Contains("漳县", county.Errors()["unit"]![0]!.GetValue<string>());
        await client.AssertFieldErrorAsync(id, "assign", new { unit = "" }, "unit");
        await client.AssertFieldErrorAsync(id, "assign", new { }, "unit");
        await client.AssertUnchangedAsync(id, before);
        Assert.Null((await client.GetCaseAsync(id)).AssigneeCode());
    }

    [Fact]
    public async Task Merge_IntoItself_Nonexistent_Rejected_OrNothing_AreFieldErrors()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        var rejected = await client.RegisterIdAsync(CaseApi.NewCase(title: "已不予受理的事项"));
        await client.DoAsync(rejected, "reject", new { reason = "不属于本镇" });
        var before = await client.SnapshotAsync(id);
        var rejectedBefore = await client.SnapshotAsync(rejected);

        await client.AssertFieldErrorAsync(id, "merge", new { into = id }, "into");
        var missing = await client.AssertFieldErrorAsync(id, "merge", new { into = 987654321L }, "into");
        Assert.Contains("987654321", missing.Errors()["into"]![0]!.GetValue<string>());
        var closed = await client.AssertFieldErrorAsync(id, "merge", new { into = rejected }, "into");
        Assert.Contains("不予受理", closed.Errors()["into"]![0]!.GetValue<string>());
        await client.AssertFieldErrorAsync(id, "merge", new { reason = "同一事项" }, "into");
        // A closed (followed-up) case takes no more reporters, so nothing can be merged into it either.
        var followedUp = await AssignedAsync(client);
        await client.DoAsync(followedUp, "resolve", new { outcome = "Solved", result = "已办" });
        await client.DoAsync(followedUp, "follow-up", new { satisfaction = "Satisfied" });
        var followedUpBefore = await client.SnapshotAsync(followedUp);
        await client.AssertFieldErrorAsync(id, "merge", new { into = followedUp }, "into");
        await client.AssertUnchangedAsync(followedUp, followedUpBefore);
        await client.AssertUnchangedAsync(id, before);
        await client.AssertUnchangedAsync(rejected, rejectedBefore);
        var after = await client.GetCaseAsync(id);
        Assert.Null(after["mergedInto"]);
        Assert.Single(after["reporters"]!.AsArray());
    }

    [Fact]
    public async Task Plan_WithoutPlan_AndDeliberate_UnknownMeeting_AreFieldErrors()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "triage", new { track = "Topic" });
        var ledgered = await client.SnapshotAsync(id);
        await client.AssertFieldErrorAsync(id, "deliberate", new { meetingId = 987654321L }, "meetingId");
        await client.AssertUnchangedAsync(id, ledgered);

        await client.DoAsync(id, "deliberate", new { });
        var deliberating = await client.SnapshotAsync(id);
        await client.AssertFieldErrorAsync(id, "plan", new { assigneeUnit = "SCH-MJC" }, "plan");
        await client.AssertFieldErrorAsync(id, "plan", new { plan = "培训", assigneeUnit = "ZX" }, "assigneeUnit");
        await client.AssertUnchangedAsync(id, deliberating);
    }

    [Fact]
    public async Task Start_PlannedTopicWithoutUnit_IsBusinessRule422()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "triage", new { track = "Topic" });
        await client.DoAsync(id, "deliberate", new { });
        await client.DoAsync(id, "plan", new { plan = "由镇里统一协调" });
        var before = await client.SnapshotAsync(id);

        using var response = await client.ActAsync(id, "start");
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
        Assert.Equal("case.no-assignee", problem["code"]!.GetValue<string>());
        await client.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task WrongJsonType_IsFieldErrorNot500()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        var before = await client.SnapshotAsync(id);
        using var content = new StringContent("{\"into\": \"abc\"}", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/v1/cases/{id}/merge", content);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey("into"), problem.ToJsonString());
        await client.AssertUnchangedAsync(id, before);
    }

    // ---- no body at all ----

    [Fact]
    public async Task Actions_WithNoBody_Are400FieldErrors_ExceptStart()
    {
        var client = app.ClientAs();
        var registered = await client.RegisterIdAsync();
        var triaged = await client.RegisterIdAsync();
        await client.DoAsync(triaged, "triage", new { track = "Direct" });
        var assigned = await AssignedAsync(client);
        var resolved = await AssignedAsync(client);
        await client.DoAsync(resolved, "resolve", new { outcome = "Solved", result = "已办" });
        var deliberating = await client.RegisterIdAsync();
        await client.DoAsync(deliberating, "triage", new { track = "Topic" });
        await client.DoAsync(deliberating, "deliberate", new { });

        var cases = new (long Id, string Action, string[] Fields)[]
        {
            (registered, "triage", ["track"]),
            (triaged, "assign", ["unit"]),
            (assigned, "return", ["reason"]),
            (assigned, "transfer", ["toUnit", "reason"]),
            (assigned, "resolve", ["outcome", "result"]),
            (resolved, "follow-up", ["satisfaction"]),
            (resolved, "reopen", ["reason"]),
            (registered, "reject", ["reason"]),
            (registered, "merge", ["into"]),
            (deliberating, "plan", ["plan"]),
        };
        foreach (var (id, action, fields) in cases)
        {
            var before = await client.SnapshotAsync(id);
            using var response = await client.ActAsync(id, action);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            foreach (var field in fields)
            {
                Assert.True(problem.Errors().ContainsKey(field), $"{action}: no error for {field}: {problem}");
            }
            await client.AssertUnchangedAsync(id, before);
        }

        var started = await client.DoAsync(assigned, "start");
        Assert.Equal("InProgress", started.Status());
    }

    [Fact]
    public async Task Actions_WithEmptyJsonBody_Are400NotServerErrors()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        var before = await client.SnapshotAsync(id);
        foreach (var action in new[] { "triage", "reject", "merge" })
        {
            using var content = new StringContent(string.Empty, System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PostAsync($"/api/v1/cases/{id}/{action}", content);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.NotEmpty(problem.Errors());
        }
        await client.AssertUnchangedAsync(id, before);
    }

    // ---- unknown case (404) ----

    [Fact]
    public async Task UnknownCase_Is404NotFound_ForReadAndEveryAction()
    {
        var client = app.ClientAs();
        const long missing = 987654321;
        using (var get = await client.GetAsync($"/api/v1/cases/{missing}"))
        {
            await get.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        var attempts = new (string Action, object? Body)[]
        {
            ("triage", new { track = "Direct" }),
            ("assign", new { unit = "SCH-MJC" }),
            ("start", null),
            ("return", new { reason = "退回" }),
            ("transfer", new { toUnit = "SCH-SFS", reason = "转办" }),
            ("resolve", new { outcome = "Solved", result = "已办" }),
            ("follow-up", new { satisfaction = "Satisfied" }),
            ("reopen", new { reason = "重新办理" }),
            ("reject", new { reason = "不予受理" }),
            ("merge", new { into = 1 }),
            ("deliberate", new { }),
            ("plan", new { plan = "计划" }),
        };
        foreach (var (action, body) in attempts)
        {
            using var response = await client.ActAsync(missing, action, body);
            var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
            Assert.Contains("事项", problem["title"]!.GetValue<string>());
        }
    }

    private static async Task<JsonObject> AssertIllegalAsync(HttpResponseMessage response, string state, string action)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "illegal-transition");
        Assert.Equal(state, problem["state"]?.GetValue<string>());
        Assert.Equal(action, problem["action"]?.GetValue<string>());
        return problem;
    }

    private static async Task<long> AssignedAsync(HttpClient client)
    {
        var id = await client.RegisterIdAsync();
        var c = await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        Assert.Equal("Assigned", c.Status());
        return id;
    }

    private static async Task<long> InProgressAsync(HttpClient client)
    {
        var id = await AssignedAsync(client);
        await client.DoAsync(id, "start");
        return id;
    }
}

public sealed class CaseActionErrorTests_Sqlite(SqliteApp app) : CaseActionErrorTests(app), IClassFixture<SqliteApp>;

public sealed class CaseActionErrorTests_Postgres(PostgresApp app) : CaseActionErrorTests(app), IClassFixture<PostgresApp>;
