using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data.Configurations;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> b)
    {
        b.ToTable("Cases");
        b.HasKey(c => c.Id);
        b.Property(c => c.TrackingCode).HasMaxLength(16).IsRequired();
        // No index on the tracking code: it is derived from the id by a keyed permutation (TrackingCodes.FromId),
        // unique by construction, and looked up by decoding it to the id (CaseIds.FindAsync). Codes from before
        // are in LegacyTrackingCodes. One random B-tree insert less per registration.
        b.Property(c => c.Title).HasMaxLength(Case.TitleMaxLength).IsRequired();
        b.Property(c => c.Description).HasMaxLength(Case.DescriptionMaxLength).IsRequired();
        b.Property(c => c.ExternalRef).HasMaxLength(128);
        b.Property(c => c.IdempotencyKey).HasMaxLength(128);
        b.Property(c => c.RatingCodeHash).HasMaxLength(64);
        b.Property(c => c.Result).HasMaxLength(Case.ResultMaxLength);
        b.Property(c => c.PublicReply).HasMaxLength(Case.PublicReplyMaxLength);
        b.Property(c => c.HandlingPlan).HasMaxLength(Case.ResultMaxLength);
        b.Property(c => c.SuspensionReason).HasMaxLength(Case.ReasonMaxLength);
        b.Property(c => c.ExtensionRequestedBy).HasMaxLength(128);
        b.Property(c => c.SuspensionRequestedBy).HasMaxLength(128);
        b.Property(c => c.EventCount).IsConcurrencyToken();
        // Hex, so the chain can be read and checked in ad-hoc SQL too. Null only before the chain existed.
        b.Property(c => c.LastEventHash).HasMaxLength(CaseEvent.HashLength);
        b.OwnsOne(c => c.Location, l =>
        {
            l.Property(x => x.Lat).HasColumnName("Lat");
            l.Property(x => x.Lng).HasColumnName("Lng");
            l.Property(x => x.Address).HasColumnName("Address").HasMaxLength(300);
        });
        b.Navigation(c => c.Location).IsRequired(false);

        // Intake idempotency: within a town, the same external reference of one channel, or the
        // same Idempotency-Key, can only ever create one case.
        // An external reference is its integration's ticket number: unique per API client, whatever the
        // town or channel, so that nobody else can plant one that swallows the integration's case.
        b.HasIndex(c => new { c.SourceClientId, c.ExternalRef }).IsUnique()
            .HasFilter("\"ExternalRef\" IS NOT NULL AND \"SourceClientId\" IS NOT NULL");
        b.HasIndex(c => new { c.TownId, c.IdempotencyKey }).IsUnique().HasFilter("\"IdempotencyKey\" IS NOT NULL");

        // The ledger's real filters. Every index costs each registration a page write (intake at a
        // million cases is bound by them), so each one serves several purposes: a unit belongs to one
        // town, so (unit, status) serves the town's queries about that unit as well as TownId first
        // would, and it is also the foreign key's index (EF would otherwise add one on the unit alone).
        b.HasIndex(c => new { c.OrgUnitId, c.Status });
        // SuspendedAt last: the overdue and due-soon counts (open, not suspended, by due date) are answered from the
        // index alone. Without it the county's overdue count read the row of each of ~22,000 cases to test
        // SuspendedAt (44 s cold at 1,000,000 cases on a loaded machine; docs/BENCHMARKS.md "County counters"). It
        // replaces (TownId, Status, DueAt): a registration writes no more index entries than before. RegisteredAt after
        // it: a status filter's newest-first page (the county's 24,000 assigned or in-progress cases) is sorted from the
        // index entries alone, not from each case's row (75 ms → 7 ms at 1,000,000 cases on SQLite; a wider entry, not another).
        b.HasIndex(c => new { c.TownId, c.Status, c.DueAt, c.SuspendedAt, c.RegisteredAt });
        b.HasIndex(c => new { c.TownId, c.RegisteredAt });
        // RegisteredAt last (here and on channel, urgency + category): the ledger's newest-first page of a filter
        // is sorted from the index entries alone (ids first, rows after: ListCases), not from every matching row
        // (a county bureau's 30,000 cases, the county's urgent water cases). Wider entries, not more of them: a
        // registration writes as many index entries as before (docs/BENCHMARKS.md, "Ledger, board and my-tasks at county scope").
        // TownId last: a county bureau's cases (23,000 of them at county scope) are tested against the caller's towns from the
        // entries, not from each case's row (SQLite: count 55 → 5 ms, page 57 → 8 ms at 1,000,000 cases).
        b.HasIndex(c => new { c.AssigneeUnitId, c.Status, c.RegisteredAt, c.TownId });
        // Foreign keys that are empty at registration: indexed only where set, so intake skips them.
        b.HasIndex(c => c.MeetingId).HasFilter("\"MeetingId\" IS NOT NULL");
        b.HasIndex(c => c.MergedIntoId).HasFilter("\"MergedIntoId\" IS NOT NULL");
        // The deadline lists (挂起, 督办, requests waiting for a decision) are a few cases among a million, and
        // empty at registration: indexed only where set, so intake writes none of them and the lists read only theirs.
        b.HasIndex(c => c.SuspendedAt).HasFilter("\"SuspendedAt\" IS NOT NULL");
        b.HasIndex(c => c.SupervisionLevel).HasFilter("\"SupervisionLevel\" IS NOT NULL");
        b.HasIndex(c => c.ExtensionRequestedDueAt).HasFilter("\"ExtensionRequestedDueAt\" IS NOT NULL");
        b.HasIndex(c => c.SuspensionRequestedAt).HasFilter("\"SuspensionRequestedAt\" IS NOT NULL");
        // 待审批 at county scope ("TownId IN (…) AND (extension OR suspension requested)"): the planner took the town
        // index and tested every case of the county (601 ms at 1,000,000 cases); this index holds only the cases
        // with a request waiting (written only then: intake pays nothing) and its filter is the query's own condition.
        b.HasIndex(c => c.TownId, "IX_Cases_TownId_PendingRequest")
            .HasFilter("\"ExtensionRequestedDueAt\" IS NOT NULL OR \"SuspensionRequestedAt\" IS NOT NULL");
        b.HasIndex(c => new { c.TownId, c.Channel, c.RegisteredAt });
        // Urgency and category are filtered together (the ledger's "urgent water cases"); urgency alone uses the prefix.
        b.HasIndex(c => new { c.TownId, c.Urgency, c.CategoryId, c.RegisteredAt });
        // 被催办 (open cases that had a 催办 or 通报): at county scope the ledger tested every open case's row (~45,000,
        // 0.5 s at 1,000,000 cases); this index holds only the reminded cases (written by the deadline watch's reminder,
        // never at registration) and its filter is the query's own condition, so the count reads index entries only.
        // RegisteredAt last: the newest-first page is sorted from the entries too (the county's: 35 ms of row reads → 1 ms).
        b.HasIndex(c => new { c.TownId, c.Status, c.RegisteredAt }, "IX_Cases_TownId_Status_Reminded")
            .HasFilter("\"ReminderCount\" > 0 OR \"NoticeCount\" > 0");
        // The verdict and the outcome, for the ledger's rarer values at county scope (1,143 unsatisfied, 19,000 explained
        // among 1,000,000: without an index every case's row was read, 0.5 s). Written at the follow-up and the
        // resolution, never at registration (both are empty then), so intake pays nothing.
        b.HasIndex(c => new { c.TownId, c.Satisfaction, c.RegisteredAt }).HasFilter("\"Satisfaction\" IS NOT NULL");
        b.HasIndex(c => new { c.TownId, c.Outcome, c.RegisteredAt }).HasFilter("\"Outcome\" IS NOT NULL");
        // 排查纠纷 (disputes found: a period's cases of the dispute categories, less those merged into another) is counted
        // as all of them, from (TownId, Urgency, CategoryId, RegisteredAt) alone, less the merged ones from this index: only
        // merged cases are in it (written at the merge, never at registration). Through the ledger's filter the status of
        // each of the county year's ~45,000 dispute cases was read from its row (0.2–0.35 s at 1,000,000 cases).
        b.HasIndex(c => new { c.TownId, c.CategoryId, c.RegisteredAt }, "IX_Cases_Merged_TownId_CategoryId_RegisteredAt")
            .HasFilter("\"Status\" = 'Merged'");
        // 超期办结 (resolved on or after the due date: the ledger's "on time = no", one resolved case in five in the bench's
        // county): a county page merged town by town read each town's newest cases' rows until it had 20 late ones (~100
        // rows a town; SQLite 64 ms p95 at 1,000,000 cases). Only late-resolved cases are in it (written at a late
        // resolution, never at registration) and its filter is the query's own condition, so each town's newest late cases
        // are its last entries (SQLite's merge: 20–26 ms → 0.5–0.9 ms).
        b.HasIndex(c => new { c.TownId, c.RegisteredAt }, "IX_Cases_Late_TownId_RegisteredAt")
            .HasFilter("\"ResolvedAt\" IS NOT NULL AND \"ResolvedAt\" >= \"DueAt\"");

        b.HasOne<OrgUnit>().WithMany().HasForeignKey(c => c.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(c => c.AssigneeUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Category>().WithMany().HasForeignKey(c => c.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Meeting>().WithMany().HasForeignKey(c => c.MeetingId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Case>().WithMany().HasForeignKey(c => c.MergedIntoId).OnDelete(DeleteBehavior.Restrict);

        b.HasMany(c => c.Reporters).WithOne().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Events).WithOne(e => e.Case).HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(c => c.Reporters).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(c => c.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class CaseTextConfiguration : IEntityTypeConfiguration<CaseText>
{
    public void Configure(EntityTypeBuilder<CaseText> b)
    {
        // Created by hand in the migration CaseSearchTexts (WITHOUT ROWID and the triggers are beyond EF).
        b.ToTable("CaseTexts", t => t.ExcludeFromMigrations());
        b.HasKey(t => new { t.TownId, t.CaseId });
        b.Property(t => t.Text).IsRequired();
    }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> b)
    {
        b.ToTable("CaseEvents");
        b.HasKey(e => e.Id);
        b.HasIndex(e => new { e.CaseId, e.Sequence }).IsUnique();
        b.HasIndex(e => new { e.TownId, e.Action, e.At });
        // Per-unit counts of the reports (returns, reminders, notices, supervision points).
        b.HasIndex(e => new { e.UnitId, e.Action, e.At }).HasFilter("\"UnitId\" IS NOT NULL");
        b.Property(e => e.ActorId).HasMaxLength(128).IsRequired();
        b.Property(e => e.ActorName).HasMaxLength(128).IsRequired();
        b.Property(e => e.Reason).HasMaxLength(Case.ReasonMaxLength);
        // Unbounded: the result and plan texts live in the timeline too, so history keeps them after a reopen.
        b.Property(e => e.Payload);
        b.Property(e => e.Hash).HasMaxLength(CaseEvent.HashLength);
    }
}

internal sealed class CaseReporterConfiguration : IEntityTypeConfiguration<CaseReporter>
{
    public void Configure(EntityTypeBuilder<CaseReporter> b)
    {
        b.ToTable("CaseReporters");
        b.HasKey(r => r.Id);
        b.Property(r => r.Name).HasMaxLength(64).IsRequired();
        b.Property(r => r.Phone).HasMaxLength(20);
        b.Property(r => r.WeChatOpenId).HasMaxLength(64);
        b.HasIndex(r => new { r.TownId, r.Phone });
        b.HasIndex(r => r.CaseId);
    }
}

internal sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> b)
    {
        b.ToTable("OrgUnits");
        b.HasKey(u => u.Id);
        b.Property(u => u.Code).HasMaxLength(32).IsRequired();
        b.HasIndex(u => u.Code).IsUnique();
        b.Property(u => u.Name).HasMaxLength(100).IsRequired();
        b.Property(u => u.Path).HasMaxLength(200).IsRequired();
        b.HasIndex(u => u.Path);
        b.HasOne(u => u.Parent).WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> b)
    {
        b.ToTable("Categories");
        b.HasKey(c => c.Id);
        b.Property(c => c.Code).HasMaxLength(32).IsRequired();
        b.HasIndex(c => c.Code).IsUnique();
        b.Property(c => c.Name).HasMaxLength(100).IsRequired();
    }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> b)
    {
        b.ToTable("Meetings");
        b.HasKey(m => m.Id);
        b.Property(m => m.Title).HasMaxLength(Meeting.TitleMaxLength).IsRequired();
        b.Property(m => m.Place).HasMaxLength(Meeting.PlaceMaxLength);
        b.Property(m => m.Host).HasMaxLength(Meeting.NameMaxLength);
        // Rows from before the meetings' record were meetings already held.
        b.Property(m => m.Status).HasDefaultValue(MeetingStatus.Held).HasSentinel((MeetingStatus)(-1));
        b.Property(m => m.Minutes).HasMaxLength(Meeting.MinutesMaxLength);
        b.Property(m => m.MinutesConfirmedBy).HasMaxLength(100);
        b.Property(m => m.CancelReason).HasMaxLength(Meeting.ReasonMaxLength);
        b.Property(m => m.CreatedBy).HasMaxLength(100);
        b.Property(m => m.Version).IsConcurrencyToken();
        b.Ignore(m => m.AttendanceRatio);
        b.Ignore(m => m.Quorate);
        // Status and kind after the date: the reports' meetings held by kind are counted from the index entries alone (the
        // county's year read ~46,000 rows for them: 0.1–0.2 s at 50,000 meetings).
        b.HasIndex(m => new { m.TownId, m.HeldAt, m.Status, m.Kind });
        // A village's (a unit's) meetings by date: the meetings list and the public page.
        b.HasIndex(m => new { m.OrgUnitId, m.HeldAt, m.Status, m.Kind });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(m => m.OrgUnitId).OnDelete(DeleteBehavior.Restrict);

        b.HasMany(m => m.Participants).WithOne().HasForeignKey(p => p.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.Agenda).WithOne().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.Amendments).WithOne().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(m => m.Participants).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(m => m.Agenda).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(m => m.Amendments).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class MeetingParticipantConfiguration : IEntityTypeConfiguration<MeetingParticipant>
{
    public void Configure(EntityTypeBuilder<MeetingParticipant> b)
    {
        b.ToTable("MeetingParticipants");
        b.HasKey(p => p.Id);
        b.Property(p => p.Name).HasMaxLength(Meeting.NameMaxLength).IsRequired();
        b.Property(p => p.Post).HasMaxLength(Meeting.PostMaxLength);
        b.Ignore(p => p.Votes);
        b.HasIndex(p => new { p.MeetingId, p.Seq }).IsUnique();
        // Who sees a meeting: the partner units invited and the members with an account.
        b.HasIndex(p => p.UnitId).HasFilter("\"UnitId\" IS NOT NULL");
        b.HasIndex(p => p.UserId).HasFilter("\"UserId\" IS NOT NULL");
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(p => p.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AgendaItemConfiguration : IEntityTypeConfiguration<AgendaItem>
{
    public void Configure(EntityTypeBuilder<AgendaItem> b)
    {
        b.ToTable("AgendaItems");
        b.HasKey(a => a.Id);
        b.Property(a => a.Title).HasMaxLength(Meeting.TitleMaxLength).IsRequired();
        b.Property(a => a.OutcomeText).HasMaxLength(Meeting.TextMaxLength);
        b.HasIndex(a => new { a.MeetingId, a.Seq }).IsUnique();
        // A topic's meetings (the case page, the topic ledger).
        b.HasIndex(a => a.CaseId).HasFilter("\"CaseId\" IS NOT NULL");
        b.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MinutesAmendmentConfiguration : IEntityTypeConfiguration<MinutesAmendment>
{
    public void Configure(EntityTypeBuilder<MinutesAmendment> b)
    {
        b.ToTable("MinutesAmendments");
        b.HasKey(a => a.Id);
        b.Property(a => a.Before).HasMaxLength(Meeting.MinutesMaxLength);
        b.Property(a => a.After).HasMaxLength(Meeting.MinutesMaxLength).IsRequired();
        b.Property(a => a.Reason).HasMaxLength(Meeting.ReasonMaxLength).IsRequired();
        b.Property(a => a.By).HasMaxLength(100).IsRequired();
        b.HasIndex(a => new { a.MeetingId, a.Seq }).IsUnique();
    }
}

internal sealed class CaseGramConfiguration : IEntityTypeConfiguration<CaseGram>
{
    public void Configure(EntityTypeBuilder<CaseGram> b)
    {
        // Created by hand in the migration CaseFullTextIndex (the FTS5 table, the tsvector and their triggers are beyond EF).
        b.ToTable("CaseGrams", t => t.ExcludeFromMigrations());
        b.HasKey(g => g.CaseId);
        b.Property(g => g.CaseId).ValueGeneratedNever();
        b.Property(g => g.Grams).IsRequired();
        b.HasOne(g => g.Case).WithOne().HasForeignKey<CaseGram>(g => g.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseStatusCountConfiguration : IEntityTypeConfiguration<CaseStatusCount>
{
    public void Configure(EntityTypeBuilder<CaseStatusCount> b)
    {
        // Kept by triggers (CaseCounterSql), keyed by the town first (the distribution key).
        b.ToTable("CaseStatusCounts");
        b.HasKey(c => new { c.TownId, c.OrgUnitId, c.Status });
    }
}

internal sealed class CaseFactCountConfiguration : IEntityTypeConfiguration<CaseFactCount>
{
    public void Configure(EntityTypeBuilder<CaseFactCount> b)
    {
        b.ToTable("CaseFactCounts");
        b.HasKey(c => new
        {
            c.TownId, c.Month, c.Status, c.Outcome, c.Satisfaction, c.OnTime, c.Reopened, c.FollowedUp, c.Returned,
            c.AssignedOnce, c.ContactedInTime, c.ResolvedByResident,
        });
        b.Property(c => c.Outcome).HasMaxLength(32);
        b.Property(c => c.Satisfaction).HasMaxLength(32);
    }
}

internal sealed class CaseStatusCountDeltaConfiguration : IEntityTypeConfiguration<CaseStatusCountDelta>
{
    public void Configure(EntityTypeBuilder<CaseStatusCountDelta> b)
    {
        // Appended by the PostgreSQL triggers, folded in by CaseCounterSql.CompactAsync: no key, so no writer waits
        // on another's row (distributed by TownId, Data/TownDistribution.cs when it exists).
        b.ToTable("CaseStatusCountDeltas");
        b.HasNoKey();
        b.HasIndex(c => c.TownId);
    }
}

internal sealed class CaseFactCountDeltaConfiguration : IEntityTypeConfiguration<CaseFactCountDelta>
{
    public void Configure(EntityTypeBuilder<CaseFactCountDelta> b)
    {
        b.ToTable("CaseFactCountDeltas");
        b.HasNoKey();
        b.HasIndex(c => new { c.TownId, c.Month });
        b.Property(c => c.Outcome).HasMaxLength(32);
        b.Property(c => c.Satisfaction).HasMaxLength(32);
    }
}

internal sealed class CaseKindCountConfiguration : IEntityTypeConfiguration<CaseKindCount>
{
    public void Configure(EntityTypeBuilder<CaseKindCount> b)
    {
        b.ToTable("CaseKindCounts");
        b.HasKey(c => new { c.TownId, c.Channel, c.Urgency, c.Track });
        b.Property(c => c.Channel).HasMaxLength(32);
        b.Property(c => c.Urgency).HasMaxLength(32);
        b.Property(c => c.Track).HasMaxLength(32);
    }
}

internal sealed class CaseKindCountDeltaConfiguration : IEntityTypeConfiguration<CaseKindCountDelta>
{
    public void Configure(EntityTypeBuilder<CaseKindCountDelta> b)
    {
        b.ToTable("CaseKindCountDeltas");
        b.HasNoKey();
        b.HasIndex(c => c.TownId);
        b.Property(c => c.Channel).HasMaxLength(32);
        b.Property(c => c.Urgency).HasMaxLength(32);
        b.Property(c => c.Track).HasMaxLength(32);
    }
}

internal sealed class CaseBreakdownCountConfiguration : IEntityTypeConfiguration<CaseBreakdownCount>
{
    public void Configure(EntityTypeBuilder<CaseBreakdownCount> b)
    {
        b.ToTable("CaseBreakdownCounts");
        b.HasKey(c => new { c.TownId, c.Month, c.Dimension, c.Value });
        b.Property(c => c.Dimension).HasMaxLength(16);
        b.Property(c => c.Value).HasMaxLength(120);
    }
}

internal sealed class CaseBreakdownCountDeltaConfiguration : IEntityTypeConfiguration<CaseBreakdownCountDelta>
{
    public void Configure(EntityTypeBuilder<CaseBreakdownCountDelta> b)
    {
        b.ToTable("CaseBreakdownCountDeltas");
        b.HasNoKey();
        b.HasIndex(c => new { c.TownId, c.Month });
        b.Property(c => c.Dimension).HasMaxLength(16);
        b.Property(c => c.Value).HasMaxLength(120);
    }
}

internal sealed class CaseUnitEventCountConfiguration : IEntityTypeConfiguration<CaseUnitEventCount>
{
    public void Configure(EntityTypeBuilder<CaseUnitEventCount> b)
    {
        b.ToTable("CaseUnitEventCounts");
        b.HasKey(c => new { c.TownId, c.Month, c.UnitId, c.Kind });
        b.Property(c => c.Kind).HasMaxLength(32);
    }
}

internal sealed class CaseUnitEventCountDeltaConfiguration : IEntityTypeConfiguration<CaseUnitEventCountDelta>
{
    public void Configure(EntityTypeBuilder<CaseUnitEventCountDelta> b)
    {
        b.ToTable("CaseUnitEventCountDeltas");
        b.HasNoKey();
        b.HasIndex(c => new { c.TownId, c.Month });
        b.Property(c => c.Kind).HasMaxLength(32);
    }
}

internal sealed class ClosedPeriodFiguresConfiguration : IEntityTypeConfiguration<ClosedPeriodFigures>
{
    public void Configure(EntityTypeBuilder<ClosedPeriodFigures> b)
    {
        b.ToTable("ClosedPeriodFigures");
        b.HasKey(c => new { c.TownId, c.From, c.To });
        b.Property(c => c.Figures).IsRequired();
    }
}
