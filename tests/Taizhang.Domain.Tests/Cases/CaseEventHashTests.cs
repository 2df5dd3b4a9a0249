using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>The hash chain over a case's events: see the remarks on <see cref="CaseEvent"/>.</summary>
public sealed class CaseEventHashTests
{
    private readonly CaseBuilder _b = new();

    private static readonly DateTime At = TestData.Utc(2026, 11, 26, 2, 30);
    private static readonly string Previous = new('a', 64);

    private sealed record Fields(string Code = "TZ-000001", long Town = 1, int Sequence = 2, ActorKind Kind = ActorKind.User,
        string ActorId = "u-7", string ActorName = "王受理", DateTime? At = null, CaseAction Action = CaseAction.Return,
        CaseStatus? From = CaseStatus.Assigned, CaseStatus To = CaseStatus.Returned, string? Reason = "不归我们管",
        string? Payload = """{"fromUnitId":3}""", string? Previous = null)
    {
        public string Hash() => CaseEvent.ComputeHash(Code, Town, Sequence, Kind, ActorId, ActorName, At ?? CaseEventHashTests.At,
            Action, From, To, Reason, Payload, Previous ?? CaseEventHashTests.Previous);
    }

    [Fact]
    public void Hash_is_deterministic_lower_case_hex_sha256()
    {
        var hash = new Fields().Hash();
        Assert.Equal(hash, new Fields().Hash());
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    /// <summary>
    /// Pinned: stored chains depend on this encoding, so changing it needs a new version tag.
    /// (Computed independently: SHA-256 over each field as a big-endian int32 UTF-8 length and the
    /// bytes — -1 for null — then the 32 bytes of the previous hash.)
    /// </summary>
    [Fact]
    public void Hash_encoding_is_fixed()
    {
        Assert.Equal("333d3b9159568d46b9790895322b2b6179848db7f6470a61dbd1057b302c5f58", new Fields().Hash());
    }

    public static TheoryData<string> ChangedFields => new()
    {
        "code", "town", "sequence", "kind", "actorId", "actorName", "at", "at-microsecond", "action", "from", "from-null",
        "to", "reason", "reason-null-vs-empty", "payload", "payload-null", "previous", "previous-zero",
        "shifted-between-fields",
    };

    [Theory]
    [MemberData(nameof(ChangedFields))]
    public void Every_field_changes_the_hash(string field)
    {
        var f = new Fields();
        Fields changed = field switch
        {
            "code" => f with { Code = "TZ-000002" },
            "town" => f with { Town = 2 },
            "sequence" => f with { Sequence = 3 },
            "kind" => f with { Kind = ActorKind.ApiClient },
            "actorId" => f with { ActorId = "u-8" },
            "actorName" => f with { ActorName = "王受理 " },
            "at" => f with { At = At.AddSeconds(1) },
            "at-microsecond" => f with { At = At.AddTicks(TimeSpan.TicksPerMicrosecond) },
            "action" => f with { Action = CaseAction.Transfer },
            "from" => f with { From = CaseStatus.InProgress },
            "from-null" => f with { From = null },
            "to" => f with { To = CaseStatus.Assigned },
            "reason" => f with { Reason = "不归我们管。" },
            "reason-null-vs-empty" => f with { Reason = null },
            "payload" => f with { Payload = """{"fromUnitId":4}""" },
            "payload-null" => f with { Payload = null },
            "previous" => f with { Previous = new string('b', 64) },
            "previous-zero" => f with { Previous = new string('0', 64) },
            // Length prefixes: moving text from one field to its neighbour is not the same event.
            "shifted-between-fields" => f with { ActorId = "u-7王", ActorName = "受理" },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        Assert.NotEqual(f.Hash(), changed.Hash());
    }

    [Fact]
    public void Empty_and_null_reason_differ()
    {
        Assert.NotEqual(new Fields(Reason: null).Hash(), new Fields(Reason: "").Hash());
    }

    [Fact]
    public void Below_a_microsecond_does_not_count_as_postgres_keeps_microseconds()
    {
        Assert.Equal(new Fields().Hash(), new Fields(At: At.AddTicks(3)).Hash());
    }

    [Fact]
    public void Events_chain_from_zeros_and_the_case_keeps_the_head()
    {
        var c = _b.Register();
        c.Triage(Track.Direct, Urgency.High, null, 42, TestData.Due, TestData.Clerk, _b.Tick());
        c.Start(TestData.Clerk, _b.Tick());

        Assert.Equal(4, c.Events.Count); // register, triage, assign, start
        string? previous = null;
        foreach (var e in c.Events)
        {
            Assert.NotNull(e.Hash);
            Assert.Equal(e.ComputeHash(c.TrackingCode, previous), e.Hash);
            previous = e.Hash;
        }
        Assert.Equal(c.Events[0].ComputeHash(c.TrackingCode, new string('0', 64)), c.Events[0].Hash);
        Assert.Equal(c.Events[^1].Hash, c.LastEventHash);
    }

    [Fact]
    public void Merge_extends_both_chains()
    {
        var survivor = _b.Register();
        var merged = _b.Register();
        merged.MergeInto(survivor, "同一件事", TestData.Clerk, _b.Tick());

        foreach (var c in new[] { survivor, merged })
        {
            Assert.Equal(2, c.Events.Count);
            Assert.Equal(c.Events[1].ComputeHash(c.TrackingCode, c.Events[0].Hash), c.Events[1].Hash);
            Assert.Equal(c.Events[1].Hash, c.LastEventHash);
        }
    }

    [Fact]
    public void Same_content_in_another_case_has_another_hash()
    {
        var a = _b.Register(at: CaseBuilder.Start);
        var b = _b.Register(at: CaseBuilder.Start);
        Assert.NotEqual(a.Events[0].Hash, b.Events[0].Hash);
    }
}
