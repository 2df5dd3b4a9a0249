using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Plans;

namespace Taizhang.Web.Data.Configurations;

internal sealed class HandlingPlanConfiguration : IEntityTypeConfiguration<HandlingPlan>
{
    public void Configure(EntityTypeBuilder<HandlingPlan> b)
    {
        b.ToTable("HandlingPlans");
        b.HasKey(p => p.Id);
        b.Property(p => p.Summary).HasMaxLength(HandlingPlan.SummaryMaxLength).IsRequired();
        // One plan per case; the topic ledger joins on it.
        b.HasIndex(p => p.CaseId).IsUnique();
        // Concentrated handling: the plans with a step past its date, per town.
        b.HasIndex(p => new { p.TownId, p.NextTargetDate });
        b.HasOne<Case>().WithMany().HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.Steps).WithOne().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(p => p.Steps).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class PlanStepConfiguration : IEntityTypeConfiguration<PlanStep>
{
    public void Configure(EntityTypeBuilder<PlanStep> b)
    {
        b.ToTable("PlanSteps");
        b.HasKey(s => s.Id);
        b.Property(s => s.Title).HasMaxLength(HandlingPlan.StepTitleMaxLength).IsRequired();
        b.Property(s => s.Note).HasMaxLength(HandlingPlan.NoteMaxLength);
        b.Ignore(s => s.Completed);
        b.HasIndex(s => new { s.PlanId, s.Number });
        b.HasIndex(s => s.CaseId);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(s => s.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The topic ledger (议题台账) reads the topics of a town newest first: an index of its own beside the case's others.</summary>
internal sealed class TopicLedgerIndexConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> b) => b.HasIndex(c => new { c.TownId, c.Track, c.RegisteredAt });
}
