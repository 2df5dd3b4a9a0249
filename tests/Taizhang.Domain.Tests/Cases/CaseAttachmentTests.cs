using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Attachments: an event that seals the file's name and hash; the kind follows the state unless given, and must fit it.</summary>
public sealed class CaseAttachmentTests
{
    private readonly CaseBuilder _b = new();
    private static readonly string Hash = new('c', 64);

    [Theory]
    [InlineData(CaseStatus.Registered, AttachmentKind.Registration)]
    [InlineData(CaseStatus.Triaged, AttachmentKind.Handling)]
    [InlineData(CaseStatus.Assigned, AttachmentKind.Handling)]
    [InlineData(CaseStatus.InProgress, AttachmentKind.Handling)]
    [InlineData(CaseStatus.Deliberating, AttachmentKind.Handling)]
    [InlineData(CaseStatus.Resolved, AttachmentKind.Evidence)]
    public void Without_a_kind_it_follows_the_state_and_the_state_stays(CaseStatus status, AttachmentKind expected)
    {
        var c = _b.InStatus(status);
        var events = c.Events.Count;
        var kind = c.AddAttachment(null, "照片.jpg", "image/jpeg", 2048, Hash, TestData.Clerk, _b.Tick());
        Assert.Equal(expected, kind);
        Assert.Equal(status, c.Status);
        Assert.Equal(events + 1, c.Events.Count);
        var e = c.Events[^1];
        Assert.Equal((CaseAction.AddAttachment, status, status), (e.Action, (CaseStatus)e.FromStatus!, e.ToStatus));
        Assert.Contains("\"fileName\":\"照片.jpg\"", e.Payload, StringComparison.Ordinal);
        Assert.Contains("\"sha256\":\"" + Hash + "\"", e.Payload, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"" + expected + "\"", e.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CaseStatus.Triaged, AttachmentKind.Registration)]
    [InlineData(CaseStatus.Resolved, AttachmentKind.Registration)]
    [InlineData(CaseStatus.Registered, AttachmentKind.Evidence)]
    [InlineData(CaseStatus.Ledgered, AttachmentKind.Evidence)]
    public void A_kind_that_does_not_fit_the_state_is_refused_on_the_kind_field_and_changes_nothing(CaseStatus status, AttachmentKind kind)
    {
        var c = _b.InStatus(status);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.AddAttachment(kind, "a.pdf", "application/pdf", 10, Hash, TestData.Clerk, _b.Tick()));
        Assert.Equal(("case.attachment-kind", "kind"), (ex.Code, ex.Field));
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Theory]
    [InlineData(CaseStatus.FollowedUp)]
    [InlineData(CaseStatus.Rejected)]
    [InlineData(CaseStatus.Merged)]
    public void A_closed_case_takes_no_attachment(CaseStatus status)
    {
        var c = _b.InStatus(status);
        var ex = Assert.Throws<DomainRuleException>(() => c.AddAttachment(null, "a.pdf", "application/pdf", 10, Hash, TestData.Clerk, _b.Tick()));
        Assert.Equal("case.illegal-transition", ex.Code);
    }

    [Fact]
    public void Evidence_may_be_added_while_the_unit_works_and_after_resolution()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        Assert.Equal(AttachmentKind.Evidence, c.AddAttachment(AttachmentKind.Evidence, "整改后.jpg", "image/jpeg", 10, Hash, TestData.Clerk, _b.Tick()));
        c.Resolve(Outcome.Solved, "已整改", TestData.Clerk, _b.Tick());
        Assert.Equal(AttachmentKind.Handling, c.AddAttachment(AttachmentKind.Handling, "说明.pdf", "application/pdf", 10, Hash, TestData.Clerk, _b.Tick()));
    }
}
