using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CitusReadySchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written (Data/Migrations/CitusReadySql.cs): the hand-made full-text index table lets go of "Cases" first.
            CitusReadySql.DetachCaseGrams(migrationBuilder);

            migrationBuilder.DropForeignKey(
                name: "FK_AgendaItems_Cases_CaseId",
                table: "AgendaItems");

            migrationBuilder.DropForeignKey(
                name: "FK_AgendaItems_Meetings_MeetingId",
                table: "AgendaItems");

            migrationBuilder.DropForeignKey(
                name: "FK_CaseAttachments_Cases_CaseId",
                table: "CaseAttachments");

            migrationBuilder.DropForeignKey(
                name: "FK_CaseEvents_Cases_CaseId",
                table: "CaseEvents");

            migrationBuilder.DropForeignKey(
                name: "FK_CaseParticipants_Cases_CaseId",
                table: "CaseParticipants");

            migrationBuilder.DropForeignKey(
                name: "FK_CaseReporters_Cases_CaseId",
                table: "CaseReporters");

            migrationBuilder.DropForeignKey(
                name: "FK_Cases_Cases_MergedIntoId",
                table: "Cases");

            migrationBuilder.DropForeignKey(
                name: "FK_Cases_Meetings_MeetingId",
                table: "Cases");

            migrationBuilder.DropForeignKey(
                name: "FK_DisclosureObjections_Disclosures_DisclosureId",
                table: "DisclosureObjections");

            migrationBuilder.DropForeignKey(
                name: "FK_Disclosures_Cases_CaseId",
                table: "Disclosures");

            migrationBuilder.DropForeignKey(
                name: "FK_Disclosures_Meetings_MeetingId",
                table: "Disclosures");

            migrationBuilder.DropForeignKey(
                name: "FK_HandlingPlans_Cases_CaseId",
                table: "HandlingPlans");

            migrationBuilder.DropForeignKey(
                name: "FK_ImportedRows_Cases_CaseId",
                table: "ImportedRows");

            migrationBuilder.DropForeignKey(
                name: "FK_ImportedRows_ImportRuns_RunId",
                table: "ImportedRows");

            migrationBuilder.DropForeignKey(
                name: "FK_ImportedRows_ImportSources_SourceId",
                table: "ImportedRows");

            migrationBuilder.DropForeignKey(
                name: "FK_ImportRuns_ImportSources_SourceId",
                table: "ImportRuns");

            migrationBuilder.DropForeignKey(
                name: "FK_LegacyTrackingCodes_Cases_CaseId",
                table: "LegacyTrackingCodes");

            migrationBuilder.DropForeignKey(
                name: "FK_MediationExtensions_Mediations_MediationId",
                table: "MediationExtensions");

            migrationBuilder.DropForeignKey(
                name: "FK_MediationFollowUps_Mediations_MediationId",
                table: "MediationFollowUps");

            migrationBuilder.DropForeignKey(
                name: "FK_MediationParties_Mediations_MediationId",
                table: "MediationParties");

            migrationBuilder.DropForeignKey(
                name: "FK_Mediations_Cases_CaseId",
                table: "Mediations");

            migrationBuilder.DropForeignKey(
                name: "FK_MediationSessions_Mediations_MediationId",
                table: "MediationSessions");

            migrationBuilder.DropForeignKey(
                name: "FK_MeetingAttachments_Meetings_MeetingId",
                table: "MeetingAttachments");

            migrationBuilder.DropForeignKey(
                name: "FK_MeetingBodyMembers_MeetingBodies_BodyId",
                table: "MeetingBodyMembers");

            migrationBuilder.DropForeignKey(
                name: "FK_MeetingParticipants_Meetings_MeetingId",
                table: "MeetingParticipants");

            migrationBuilder.DropForeignKey(
                name: "FK_MinutesAmendments_Meetings_MeetingId",
                table: "MinutesAmendments");

            migrationBuilder.DropForeignKey(
                name: "FK_Notifications_Cases_CaseId",
                table: "Notifications");

            migrationBuilder.DropForeignKey(
                name: "FK_OutcomeTallies_Cases_CaseId",
                table: "OutcomeTallies");

            migrationBuilder.DropForeignKey(
                name: "FK_OutcomeTallies_Meetings_MeetingId",
                table: "OutcomeTallies");

            migrationBuilder.DropForeignKey(
                name: "FK_PlanSteps_HandlingPlans_PlanId",
                table: "PlanSteps");

            migrationBuilder.DropForeignKey(
                name: "FK_RatingAttempts_Cases_CaseId",
                table: "RatingAttempts");

            migrationBuilder.DropForeignKey(
                name: "FK_WeChatInbound_Cases_CaseId",
                table: "WeChatInbound");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ReportSnapshots",
                table: "ReportSnapshots");

            migrationBuilder.DropPrimaryKey(
                name: "PK_RatingAttempts",
                table: "RatingAttempts");

            migrationBuilder.DropIndex(
                name: "IX_RatingAttempts_CaseId_At",
                table: "RatingAttempts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_PlanSteps",
                table: "PlanSteps");

            migrationBuilder.DropIndex(
                name: "IX_PlanSteps_PlanId_Number",
                table: "PlanSteps");

            migrationBuilder.DropPrimaryKey(
                name: "PK_OutcomeTallies",
                table: "OutcomeTallies");

            migrationBuilder.DropIndex(
                name: "IX_OutcomeTallies_CaseId",
                table: "OutcomeTallies");

            migrationBuilder.DropIndex(
                name: "IX_OutcomeTallies_MeetingId",
                table: "OutcomeTallies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Notifications",
                table: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_CaseId",
                table: "Notifications");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MinutesAmendments",
                table: "MinutesAmendments");

            migrationBuilder.DropIndex(
                name: "IX_MinutesAmendments_MeetingId_Seq",
                table: "MinutesAmendments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Meetings",
                table: "Meetings");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MeetingParticipants",
                table: "MeetingParticipants");

            migrationBuilder.DropIndex(
                name: "IX_MeetingParticipants_MeetingId_Seq",
                table: "MeetingParticipants");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MeetingBodyMembers",
                table: "MeetingBodyMembers");

            migrationBuilder.DropIndex(
                name: "IX_MeetingBodyMembers_BodyId_Seq",
                table: "MeetingBodyMembers");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MeetingBodies",
                table: "MeetingBodies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MeetingAttachments",
                table: "MeetingAttachments");

            migrationBuilder.DropIndex(
                name: "IX_MeetingAttachments_MeetingId_Id",
                table: "MeetingAttachments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MediationSessions",
                table: "MediationSessions");

            migrationBuilder.DropIndex(
                name: "IX_MediationSessions_MediationId_Seq",
                table: "MediationSessions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Mediations",
                table: "Mediations");

            migrationBuilder.DropIndex(
                name: "IX_Mediations_CaseId",
                table: "Mediations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MediationParties",
                table: "MediationParties");

            migrationBuilder.DropIndex(
                name: "IX_MediationParties_MediationId_Seq",
                table: "MediationParties");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MediationFollowUps",
                table: "MediationFollowUps");

            migrationBuilder.DropIndex(
                name: "IX_MediationFollowUps_MediationId_Seq",
                table: "MediationFollowUps");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MediationExtensions",
                table: "MediationExtensions");

            migrationBuilder.DropIndex(
                name: "IX_MediationExtensions_MediationId_Seq",
                table: "MediationExtensions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_LegacyTrackingCodes",
                table: "LegacyTrackingCodes");

            migrationBuilder.DropIndex(
                name: "IX_LegacyTrackingCodes_CaseId",
                table: "LegacyTrackingCodes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ImportSources",
                table: "ImportSources");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ImportRuns",
                table: "ImportRuns");

            migrationBuilder.DropIndex(
                name: "IX_ImportRuns_SourceId",
                table: "ImportRuns");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ImportedRows",
                table: "ImportedRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportedRows_CaseId",
                table: "ImportedRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportedRows_RunId",
                table: "ImportedRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportedRows_SourceId_Reference",
                table: "ImportedRows");

            migrationBuilder.DropPrimaryKey(
                name: "PK_HandlingPlans",
                table: "HandlingPlans");

            migrationBuilder.DropIndex(
                name: "IX_HandlingPlans_CaseId",
                table: "HandlingPlans");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Disclosures",
                table: "Disclosures");

            migrationBuilder.DropIndex(
                name: "IX_Disclosures_CaseId",
                table: "Disclosures");

            migrationBuilder.DropIndex(
                name: "IX_Disclosures_MeetingId",
                table: "Disclosures");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DisclosureObjections",
                table: "DisclosureObjections");

            migrationBuilder.DropIndex(
                name: "IX_DisclosureObjections_DisclosureId_SubmittedAt",
                table: "DisclosureObjections");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Cases",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MeetingId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MergedIntoId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SourceClientId_ExternalRef",
                table: "Cases");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CaseReporters",
                table: "CaseReporters");

            migrationBuilder.DropIndex(
                name: "IX_CaseReporters_CaseId",
                table: "CaseReporters");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CaseParticipants",
                table: "CaseParticipants");

            migrationBuilder.DropIndex(
                name: "IX_CaseParticipants_CaseId",
                table: "CaseParticipants");

            migrationBuilder.DropIndex(
                name: "IX_CaseParticipants_UnitId_CaseId",
                table: "CaseParticipants");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CaseEvents",
                table: "CaseEvents");

            migrationBuilder.DropIndex(
                name: "IX_CaseEvents_CaseId_Sequence",
                table: "CaseEvents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CaseAttachments",
                table: "CaseAttachments");

            migrationBuilder.DropIndex(
                name: "IX_CaseAttachments_CaseId_Id",
                table: "CaseAttachments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AgendaItems",
                table: "AgendaItems");

            migrationBuilder.DropIndex(
                name: "IX_AgendaItems_CaseId",
                table: "AgendaItems");

            migrationBuilder.DropIndex(
                name: "IX_AgendaItems_MeetingId_Seq",
                table: "AgendaItems");

            migrationBuilder.AddColumn<long>(
                name: "TownId",
                table: "RatingAttempts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "TownId",
                table: "ImportedRows",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Hand-written: the new TownId columns from their owners (Data/Migrations/CitusReadySql.cs).
            CitusReadySql.Backfill(migrationBuilder);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ReportSnapshots",
                table: "ReportSnapshots",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_RatingAttempts",
                table: "RatingAttempts",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_PlanSteps",
                table: "PlanSteps",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_OutcomeTallies",
                table: "OutcomeTallies",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Notifications",
                table: "Notifications",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MinutesAmendments",
                table: "MinutesAmendments",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Meetings",
                table: "Meetings",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MeetingParticipants",
                table: "MeetingParticipants",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MeetingBodyMembers",
                table: "MeetingBodyMembers",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MeetingBodies",
                table: "MeetingBodies",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MeetingAttachments",
                table: "MeetingAttachments",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MediationSessions",
                table: "MediationSessions",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Mediations",
                table: "Mediations",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MediationParties",
                table: "MediationParties",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MediationFollowUps",
                table: "MediationFollowUps",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MediationExtensions",
                table: "MediationExtensions",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_LegacyTrackingCodes",
                table: "LegacyTrackingCodes",
                columns: new[] { "Code", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_ImportSources",
                table: "ImportSources",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_ImportRuns",
                table: "ImportRuns",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_ImportedRows",
                table: "ImportedRows",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_HandlingPlans",
                table: "HandlingPlans",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Disclosures",
                table: "Disclosures",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_DisclosureObjections",
                table: "DisclosureObjections",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Cases",
                table: "Cases",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_CaseReporters",
                table: "CaseReporters",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_CaseParticipants",
                table: "CaseParticipants",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_CaseEvents",
                table: "CaseEvents",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_CaseAttachments",
                table: "CaseAttachments",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_AgendaItems",
                table: "AgendaItems",
                columns: new[] { "Id", "TownId" });

            migrationBuilder.CreateIndex(
                name: "IX_RatingAttempts_CaseId_TownId_At",
                table: "RatingAttempts",
                columns: new[] { "CaseId", "TownId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PlanSteps_PlanId_TownId_Number",
                table: "PlanSteps",
                columns: new[] { "PlanId", "TownId", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeTallies_CaseId_TownId",
                table: "OutcomeTallies",
                columns: new[] { "CaseId", "TownId" },
                filter: "\"CaseId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeTallies_MeetingId_TownId",
                table: "OutcomeTallies",
                columns: new[] { "MeetingId", "TownId" },
                filter: "\"MeetingId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_CaseId_TownId",
                table: "Notifications",
                columns: new[] { "CaseId", "TownId" });

            migrationBuilder.CreateIndex(
                name: "IX_MinutesAmendments_MeetingId_TownId_Seq",
                table: "MinutesAmendments",
                columns: new[] { "MeetingId", "TownId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingParticipants_MeetingId_TownId_Seq",
                table: "MeetingParticipants",
                columns: new[] { "MeetingId", "TownId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingBodyMembers_BodyId_TownId_Seq",
                table: "MeetingBodyMembers",
                columns: new[] { "BodyId", "TownId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingAttachments_MeetingId_TownId_Id",
                table: "MeetingAttachments",
                columns: new[] { "MeetingId", "TownId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_MediationSessions_MediationId_TownId_Seq",
                table: "MediationSessions",
                columns: new[] { "MediationId", "TownId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Mediations_CaseId_TownId",
                table: "Mediations",
                columns: new[] { "CaseId", "TownId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MediationParties_MediationId_TownId_Seq",
                table: "MediationParties",
                columns: new[] { "MediationId", "TownId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MediationFollowUps_MediationId_TownId_Seq",
                table: "MediationFollowUps",
                columns: new[] { "MediationId", "TownId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MediationExtensions_MediationId_TownId_Seq",
                table: "MediationExtensions",
                columns: new[] { "MediationId", "TownId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LegacyTrackingCodes_CaseId_TownId",
                table: "LegacyTrackingCodes",
                columns: new[] { "CaseId", "TownId" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRuns_SourceId_TownId",
                table: "ImportRuns",
                columns: new[] { "SourceId", "TownId" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportedRows_CaseId_TownId",
                table: "ImportedRows",
                columns: new[] { "CaseId", "TownId" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportedRows_RunId_TownId",
                table: "ImportedRows",
                columns: new[] { "RunId", "TownId" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportedRows_SourceId_TownId_Reference",
                table: "ImportedRows",
                columns: new[] { "SourceId", "TownId", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HandlingPlans_CaseId_TownId",
                table: "HandlingPlans",
                columns: new[] { "CaseId", "TownId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_CaseId_TownId",
                table: "Disclosures",
                columns: new[] { "CaseId", "TownId" },
                filter: "\"CaseId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_MeetingId_TownId",
                table: "Disclosures",
                columns: new[] { "MeetingId", "TownId" },
                filter: "\"MeetingId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_DisclosureObjections_DisclosureId_TownId_SubmittedAt",
                table: "DisclosureObjections",
                columns: new[] { "DisclosureId", "TownId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MeetingId_TownId",
                table: "Cases",
                columns: new[] { "MeetingId", "TownId" },
                filter: "\"MeetingId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MergedIntoId_TownId",
                table: "Cases",
                columns: new[] { "MergedIntoId", "TownId" },
                filter: "\"MergedIntoId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SourceClientId_ExternalRef_TownId",
                table: "Cases",
                columns: new[] { "SourceClientId", "ExternalRef", "TownId" },
                unique: true,
                filter: "\"ExternalRef\" IS NOT NULL AND \"SourceClientId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CaseReporters_CaseId_TownId",
                table: "CaseReporters",
                columns: new[] { "CaseId", "TownId" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseParticipants_CaseId_TownId",
                table: "CaseParticipants",
                columns: new[] { "CaseId", "TownId" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseParticipants_UnitId_CaseId_TownId",
                table: "CaseParticipants",
                columns: new[] { "UnitId", "CaseId", "TownId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CaseEvents_CaseId_TownId_Sequence",
                table: "CaseEvents",
                columns: new[] { "CaseId", "TownId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CaseAttachments_CaseId_TownId_Id",
                table: "CaseAttachments",
                columns: new[] { "CaseId", "TownId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AgendaItems_CaseId_TownId",
                table: "AgendaItems",
                columns: new[] { "CaseId", "TownId" },
                filter: "\"CaseId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AgendaItems_MeetingId_TownId_Seq",
                table: "AgendaItems",
                columns: new[] { "MeetingId", "TownId", "Seq" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_AgendaItems_Cases_CaseId_TownId",
                table: "AgendaItems",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AgendaItems_Meetings_MeetingId_TownId",
                table: "AgendaItems",
                columns: new[] { "MeetingId", "TownId" },
                principalTable: "Meetings",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_CaseAttachments_Cases_CaseId_TownId",
                table: "CaseAttachments",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CaseEvents_Cases_CaseId_TownId",
                table: "CaseEvents",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CaseParticipants_Cases_CaseId_TownId",
                table: "CaseParticipants",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CaseReporters_Cases_CaseId_TownId",
                table: "CaseReporters",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Cases_Cases_MergedIntoId_TownId",
                table: "Cases",
                columns: new[] { "MergedIntoId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Cases_Meetings_MeetingId_TownId",
                table: "Cases",
                columns: new[] { "MeetingId", "TownId" },
                principalTable: "Meetings",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_DisclosureObjections_Disclosures_DisclosureId_TownId",
                table: "DisclosureObjections",
                columns: new[] { "DisclosureId", "TownId" },
                principalTable: "Disclosures",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Disclosures_Cases_CaseId_TownId",
                table: "Disclosures",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Disclosures_Meetings_MeetingId_TownId",
                table: "Disclosures",
                columns: new[] { "MeetingId", "TownId" },
                principalTable: "Meetings",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_HandlingPlans_Cases_CaseId_TownId",
                table: "HandlingPlans",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_ImportedRows_Cases_CaseId_TownId",
                table: "ImportedRows",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ImportedRows_ImportRuns_RunId_TownId",
                table: "ImportedRows",
                columns: new[] { "RunId", "TownId" },
                principalTable: "ImportRuns",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ImportedRows_ImportSources_SourceId_TownId",
                table: "ImportedRows",
                columns: new[] { "SourceId", "TownId" },
                principalTable: "ImportSources",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ImportRuns_ImportSources_SourceId_TownId",
                table: "ImportRuns",
                columns: new[] { "SourceId", "TownId" },
                principalTable: "ImportSources",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LegacyTrackingCodes_Cases_CaseId_TownId",
                table: "LegacyTrackingCodes",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MediationExtensions_Mediations_MediationId_TownId",
                table: "MediationExtensions",
                columns: new[] { "MediationId", "TownId" },
                principalTable: "Mediations",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MediationFollowUps_Mediations_MediationId_TownId",
                table: "MediationFollowUps",
                columns: new[] { "MediationId", "TownId" },
                principalTable: "Mediations",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MediationParties_Mediations_MediationId_TownId",
                table: "MediationParties",
                columns: new[] { "MediationId", "TownId" },
                principalTable: "Mediations",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Mediations_Cases_CaseId_TownId",
                table: "Mediations",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_MediationSessions_Mediations_MediationId_TownId",
                table: "MediationSessions",
                columns: new[] { "MediationId", "TownId" },
                principalTable: "Mediations",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MeetingAttachments_Meetings_MeetingId_TownId",
                table: "MeetingAttachments",
                columns: new[] { "MeetingId", "TownId" },
                principalTable: "Meetings",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_MeetingBodyMembers_MeetingBodies_BodyId_TownId",
                table: "MeetingBodyMembers",
                columns: new[] { "BodyId", "TownId" },
                principalTable: "MeetingBodies",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MeetingParticipants_Meetings_MeetingId_TownId",
                table: "MeetingParticipants",
                columns: new[] { "MeetingId", "TownId" },
                principalTable: "Meetings",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MinutesAmendments_Meetings_MeetingId_TownId",
                table: "MinutesAmendments",
                columns: new[] { "MeetingId", "TownId" },
                principalTable: "Meetings",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Notifications_Cases_CaseId_TownId",
                table: "Notifications",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_OutcomeTallies_Cases_CaseId_TownId",
                table: "OutcomeTallies",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_OutcomeTallies_Meetings_MeetingId_TownId",
                table: "OutcomeTallies",
                columns: new[] { "MeetingId", "TownId" },
                principalTable: "Meetings",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_PlanSteps_HandlingPlans_PlanId_TownId",
                table: "PlanSteps",
                columns: new[] { "PlanId", "TownId" },
                principalTable: "HandlingPlans",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_RatingAttempts_Cases_CaseId_TownId",
                table: "RatingAttempts",
                columns: new[] { "CaseId", "TownId" },
                principalTable: "Cases",
                principalColumns: new[] { "Id", "TownId" },
                onDelete: ReferentialAction.Cascade);

            // Hand-written (Data/Migrations/CitusReadySql.cs): the full-text index table keyed and tied by town too.
            CitusReadySql.AttachCaseGramsByTown(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            CitusReadySql.DetachCaseGrams(migrationBuilder);

            migrationBuilder.DropForeignKey(
                name: "FK_AgendaItems_Cases_CaseId_TownId",
                table: "AgendaItems");

            migrationBuilder.DropForeignKey(
                name: "FK_AgendaItems_Meetings_MeetingId_TownId",
                table: "AgendaItems");

            migrationBuilder.DropForeignKey(
                name: "FK_CaseAttachments_Cases_CaseId_TownId",
                table: "CaseAttachments");

            migrationBuilder.DropForeignKey(
                name: "FK_CaseEvents_Cases_CaseId_TownId",
                table: "CaseEvents");

            migrationBuilder.DropForeignKey(
                name: "FK_CaseParticipants_Cases_CaseId_TownId",
                table: "CaseParticipants");

            migrationBuilder.DropForeignKey(
                name: "FK_CaseReporters_Cases_CaseId_TownId",
                table: "CaseReporters");

            migrationBuilder.DropForeignKey(
                name: "FK_Cases_Cases_MergedIntoId_TownId",
                table: "Cases");

            migrationBuilder.DropForeignKey(
                name: "FK_Cases_Meetings_MeetingId_TownId",
                table: "Cases");

            migrationBuilder.DropForeignKey(
                name: "FK_DisclosureObjections_Disclosures_DisclosureId_TownId",
                table: "DisclosureObjections");

            migrationBuilder.DropForeignKey(
                name: "FK_Disclosures_Cases_CaseId_TownId",
                table: "Disclosures");

            migrationBuilder.DropForeignKey(
                name: "FK_Disclosures_Meetings_MeetingId_TownId",
                table: "Disclosures");

            migrationBuilder.DropForeignKey(
                name: "FK_HandlingPlans_Cases_CaseId_TownId",
                table: "HandlingPlans");

            migrationBuilder.DropForeignKey(
                name: "FK_ImportedRows_Cases_CaseId_TownId",
                table: "ImportedRows");

            migrationBuilder.DropForeignKey(
                name: "FK_ImportedRows_ImportRuns_RunId_TownId",
                table: "ImportedRows");

            migrationBuilder.DropForeignKey(
                name: "FK_ImportedRows_ImportSources_SourceId_TownId",
                table: "ImportedRows");

            migrationBuilder.DropForeignKey(
                name: "FK_ImportRuns_ImportSources_SourceId_TownId",
                table: "ImportRuns");

            migrationBuilder.DropForeignKey(
                name: "FK_LegacyTrackingCodes_Cases_CaseId_TownId",
                table: "LegacyTrackingCodes");

            migrationBuilder.DropForeignKey(
                name: "FK_MediationExtensions_Mediations_MediationId_TownId",
                table: "MediationExtensions");

            migrationBuilder.DropForeignKey(
                name: "FK_MediationFollowUps_Mediations_MediationId_TownId",
                table: "MediationFollowUps");

            migrationBuilder.DropForeignKey(
                name: "FK_MediationParties_Mediations_MediationId_TownId",
                table: "MediationParties");

            migrationBuilder.DropForeignKey(
                name: "FK_Mediations_Cases_CaseId_TownId",
                table: "Mediations");

            migrationBuilder.DropForeignKey(
                name: "FK_MediationSessions_Mediations_MediationId_TownId",
                table: "MediationSessions");

            migrationBuilder.DropForeignKey(
                name: "FK_MeetingAttachments_Meetings_MeetingId_TownId",
                table: "MeetingAttachments");

            migrationBuilder.DropForeignKey(
                name: "FK_MeetingBodyMembers_MeetingBodies_BodyId_TownId",
                table: "MeetingBodyMembers");

            migrationBuilder.DropForeignKey(
                name: "FK_MeetingParticipants_Meetings_MeetingId_TownId",
                table: "MeetingParticipants");

            migrationBuilder.DropForeignKey(
                name: "FK_MinutesAmendments_Meetings_MeetingId_TownId",
                table: "MinutesAmendments");

            migrationBuilder.DropForeignKey(
                name: "FK_Notifications_Cases_CaseId_TownId",
                table: "Notifications");

            migrationBuilder.DropForeignKey(
                name: "FK_OutcomeTallies_Cases_CaseId_TownId",
                table: "OutcomeTallies");

            migrationBuilder.DropForeignKey(
                name: "FK_OutcomeTallies_Meetings_MeetingId_TownId",
                table: "OutcomeTallies");

            migrationBuilder.DropForeignKey(
                name: "FK_PlanSteps_HandlingPlans_PlanId_TownId",
                table: "PlanSteps");

            migrationBuilder.DropForeignKey(
                name: "FK_RatingAttempts_Cases_CaseId_TownId",
                table: "RatingAttempts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ReportSnapshots",
                table: "ReportSnapshots");

            migrationBuilder.DropPrimaryKey(
                name: "PK_RatingAttempts",
                table: "RatingAttempts");

            migrationBuilder.DropIndex(
                name: "IX_RatingAttempts_CaseId_TownId_At",
                table: "RatingAttempts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_PlanSteps",
                table: "PlanSteps");

            migrationBuilder.DropIndex(
                name: "IX_PlanSteps_PlanId_TownId_Number",
                table: "PlanSteps");

            migrationBuilder.DropPrimaryKey(
                name: "PK_OutcomeTallies",
                table: "OutcomeTallies");

            migrationBuilder.DropIndex(
                name: "IX_OutcomeTallies_CaseId_TownId",
                table: "OutcomeTallies");

            migrationBuilder.DropIndex(
                name: "IX_OutcomeTallies_MeetingId_TownId",
                table: "OutcomeTallies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Notifications",
                table: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_CaseId_TownId",
                table: "Notifications");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MinutesAmendments",
                table: "MinutesAmendments");

            migrationBuilder.DropIndex(
                name: "IX_MinutesAmendments_MeetingId_TownId_Seq",
                table: "MinutesAmendments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Meetings",
                table: "Meetings");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MeetingParticipants",
                table: "MeetingParticipants");

            migrationBuilder.DropIndex(
                name: "IX_MeetingParticipants_MeetingId_TownId_Seq",
                table: "MeetingParticipants");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MeetingBodyMembers",
                table: "MeetingBodyMembers");

            migrationBuilder.DropIndex(
                name: "IX_MeetingBodyMembers_BodyId_TownId_Seq",
                table: "MeetingBodyMembers");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MeetingBodies",
                table: "MeetingBodies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MeetingAttachments",
                table: "MeetingAttachments");

            migrationBuilder.DropIndex(
                name: "IX_MeetingAttachments_MeetingId_TownId_Id",
                table: "MeetingAttachments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MediationSessions",
                table: "MediationSessions");

            migrationBuilder.DropIndex(
                name: "IX_MediationSessions_MediationId_TownId_Seq",
                table: "MediationSessions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Mediations",
                table: "Mediations");

            migrationBuilder.DropIndex(
                name: "IX_Mediations_CaseId_TownId",
                table: "Mediations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MediationParties",
                table: "MediationParties");

            migrationBuilder.DropIndex(
                name: "IX_MediationParties_MediationId_TownId_Seq",
                table: "MediationParties");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MediationFollowUps",
                table: "MediationFollowUps");

            migrationBuilder.DropIndex(
                name: "IX_MediationFollowUps_MediationId_TownId_Seq",
                table: "MediationFollowUps");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MediationExtensions",
                table: "MediationExtensions");

            migrationBuilder.DropIndex(
                name: "IX_MediationExtensions_MediationId_TownId_Seq",
                table: "MediationExtensions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_LegacyTrackingCodes",
                table: "LegacyTrackingCodes");

            migrationBuilder.DropIndex(
                name: "IX_LegacyTrackingCodes_CaseId_TownId",
                table: "LegacyTrackingCodes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ImportSources",
                table: "ImportSources");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ImportRuns",
                table: "ImportRuns");

            migrationBuilder.DropIndex(
                name: "IX_ImportRuns_SourceId_TownId",
                table: "ImportRuns");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ImportedRows",
                table: "ImportedRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportedRows_CaseId_TownId",
                table: "ImportedRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportedRows_RunId_TownId",
                table: "ImportedRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportedRows_SourceId_TownId_Reference",
                table: "ImportedRows");

            migrationBuilder.DropPrimaryKey(
                name: "PK_HandlingPlans",
                table: "HandlingPlans");

            migrationBuilder.DropIndex(
                name: "IX_HandlingPlans_CaseId_TownId",
                table: "HandlingPlans");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Disclosures",
                table: "Disclosures");

            migrationBuilder.DropIndex(
                name: "IX_Disclosures_CaseId_TownId",
                table: "Disclosures");

            migrationBuilder.DropIndex(
                name: "IX_Disclosures_MeetingId_TownId",
                table: "Disclosures");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DisclosureObjections",
                table: "DisclosureObjections");

            migrationBuilder.DropIndex(
                name: "IX_DisclosureObjections_DisclosureId_TownId_SubmittedAt",
                table: "DisclosureObjections");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Cases",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MeetingId_TownId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MergedIntoId_TownId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SourceClientId_ExternalRef_TownId",
                table: "Cases");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CaseReporters",
                table: "CaseReporters");

            migrationBuilder.DropIndex(
                name: "IX_CaseReporters_CaseId_TownId",
                table: "CaseReporters");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CaseParticipants",
                table: "CaseParticipants");

            migrationBuilder.DropIndex(
                name: "IX_CaseParticipants_CaseId_TownId",
                table: "CaseParticipants");

            migrationBuilder.DropIndex(
                name: "IX_CaseParticipants_UnitId_CaseId_TownId",
                table: "CaseParticipants");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CaseEvents",
                table: "CaseEvents");

            migrationBuilder.DropIndex(
                name: "IX_CaseEvents_CaseId_TownId_Sequence",
                table: "CaseEvents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CaseAttachments",
                table: "CaseAttachments");

            migrationBuilder.DropIndex(
                name: "IX_CaseAttachments_CaseId_TownId_Id",
                table: "CaseAttachments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AgendaItems",
                table: "AgendaItems");

            migrationBuilder.DropIndex(
                name: "IX_AgendaItems_CaseId_TownId",
                table: "AgendaItems");

            migrationBuilder.DropIndex(
                name: "IX_AgendaItems_MeetingId_TownId_Seq",
                table: "AgendaItems");

            migrationBuilder.DropColumn(
                name: "TownId",
                table: "RatingAttempts");

            migrationBuilder.DropColumn(
                name: "TownId",
                table: "ImportedRows");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ReportSnapshots",
                table: "ReportSnapshots",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_RatingAttempts",
                table: "RatingAttempts",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_PlanSteps",
                table: "PlanSteps",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_OutcomeTallies",
                table: "OutcomeTallies",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Notifications",
                table: "Notifications",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MinutesAmendments",
                table: "MinutesAmendments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Meetings",
                table: "Meetings",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MeetingParticipants",
                table: "MeetingParticipants",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MeetingBodyMembers",
                table: "MeetingBodyMembers",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MeetingBodies",
                table: "MeetingBodies",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MeetingAttachments",
                table: "MeetingAttachments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MediationSessions",
                table: "MediationSessions",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Mediations",
                table: "Mediations",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MediationParties",
                table: "MediationParties",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MediationFollowUps",
                table: "MediationFollowUps",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MediationExtensions",
                table: "MediationExtensions",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_LegacyTrackingCodes",
                table: "LegacyTrackingCodes",
                column: "Code");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ImportSources",
                table: "ImportSources",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ImportRuns",
                table: "ImportRuns",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ImportedRows",
                table: "ImportedRows",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_HandlingPlans",
                table: "HandlingPlans",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Disclosures",
                table: "Disclosures",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DisclosureObjections",
                table: "DisclosureObjections",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Cases",
                table: "Cases",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_CaseReporters",
                table: "CaseReporters",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_CaseParticipants",
                table: "CaseParticipants",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_CaseEvents",
                table: "CaseEvents",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_CaseAttachments",
                table: "CaseAttachments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_AgendaItems",
                table: "AgendaItems",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_RatingAttempts_CaseId_At",
                table: "RatingAttempts",
                columns: new[] { "CaseId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PlanSteps_PlanId_Number",
                table: "PlanSteps",
                columns: new[] { "PlanId", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeTallies_CaseId",
                table: "OutcomeTallies",
                column: "CaseId",
                filter: "\"CaseId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeTallies_MeetingId",
                table: "OutcomeTallies",
                column: "MeetingId",
                filter: "\"MeetingId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_CaseId",
                table: "Notifications",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_MinutesAmendments_MeetingId_Seq",
                table: "MinutesAmendments",
                columns: new[] { "MeetingId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingParticipants_MeetingId_Seq",
                table: "MeetingParticipants",
                columns: new[] { "MeetingId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingBodyMembers_BodyId_Seq",
                table: "MeetingBodyMembers",
                columns: new[] { "BodyId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingAttachments_MeetingId_Id",
                table: "MeetingAttachments",
                columns: new[] { "MeetingId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_MediationSessions_MediationId_Seq",
                table: "MediationSessions",
                columns: new[] { "MediationId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Mediations_CaseId",
                table: "Mediations",
                column: "CaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MediationParties_MediationId_Seq",
                table: "MediationParties",
                columns: new[] { "MediationId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MediationFollowUps_MediationId_Seq",
                table: "MediationFollowUps",
                columns: new[] { "MediationId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MediationExtensions_MediationId_Seq",
                table: "MediationExtensions",
                columns: new[] { "MediationId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LegacyTrackingCodes_CaseId",
                table: "LegacyTrackingCodes",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportRuns_SourceId",
                table: "ImportRuns",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportedRows_CaseId",
                table: "ImportedRows",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportedRows_RunId",
                table: "ImportedRows",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportedRows_SourceId_Reference",
                table: "ImportedRows",
                columns: new[] { "SourceId", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HandlingPlans_CaseId",
                table: "HandlingPlans",
                column: "CaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_CaseId",
                table: "Disclosures",
                column: "CaseId",
                filter: "\"CaseId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_MeetingId",
                table: "Disclosures",
                column: "MeetingId",
                filter: "\"MeetingId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_DisclosureObjections_DisclosureId_SubmittedAt",
                table: "DisclosureObjections",
                columns: new[] { "DisclosureId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MeetingId",
                table: "Cases",
                column: "MeetingId",
                filter: "\"MeetingId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MergedIntoId",
                table: "Cases",
                column: "MergedIntoId",
                filter: "\"MergedIntoId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SourceClientId_ExternalRef",
                table: "Cases",
                columns: new[] { "SourceClientId", "ExternalRef" },
                unique: true,
                filter: "\"ExternalRef\" IS NOT NULL AND \"SourceClientId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CaseReporters_CaseId",
                table: "CaseReporters",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseParticipants_CaseId",
                table: "CaseParticipants",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseParticipants_UnitId_CaseId",
                table: "CaseParticipants",
                columns: new[] { "UnitId", "CaseId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CaseEvents_CaseId_Sequence",
                table: "CaseEvents",
                columns: new[] { "CaseId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CaseAttachments_CaseId_Id",
                table: "CaseAttachments",
                columns: new[] { "CaseId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AgendaItems_CaseId",
                table: "AgendaItems",
                column: "CaseId",
                filter: "\"CaseId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AgendaItems_MeetingId_Seq",
                table: "AgendaItems",
                columns: new[] { "MeetingId", "Seq" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_AgendaItems_Cases_CaseId",
                table: "AgendaItems",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AgendaItems_Meetings_MeetingId",
                table: "AgendaItems",
                column: "MeetingId",
                principalTable: "Meetings",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_CaseAttachments_Cases_CaseId",
                table: "CaseAttachments",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CaseEvents_Cases_CaseId",
                table: "CaseEvents",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CaseParticipants_Cases_CaseId",
                table: "CaseParticipants",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CaseReporters_Cases_CaseId",
                table: "CaseReporters",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Cases_Cases_MergedIntoId",
                table: "Cases",
                column: "MergedIntoId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Cases_Meetings_MeetingId",
                table: "Cases",
                column: "MeetingId",
                principalTable: "Meetings",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_DisclosureObjections_Disclosures_DisclosureId",
                table: "DisclosureObjections",
                column: "DisclosureId",
                principalTable: "Disclosures",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Disclosures_Cases_CaseId",
                table: "Disclosures",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Disclosures_Meetings_MeetingId",
                table: "Disclosures",
                column: "MeetingId",
                principalTable: "Meetings",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_HandlingPlans_Cases_CaseId",
                table: "HandlingPlans",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_ImportedRows_Cases_CaseId",
                table: "ImportedRows",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ImportedRows_ImportRuns_RunId",
                table: "ImportedRows",
                column: "RunId",
                principalTable: "ImportRuns",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ImportedRows_ImportSources_SourceId",
                table: "ImportedRows",
                column: "SourceId",
                principalTable: "ImportSources",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ImportRuns_ImportSources_SourceId",
                table: "ImportRuns",
                column: "SourceId",
                principalTable: "ImportSources",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_LegacyTrackingCodes_Cases_CaseId",
                table: "LegacyTrackingCodes",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MediationExtensions_Mediations_MediationId",
                table: "MediationExtensions",
                column: "MediationId",
                principalTable: "Mediations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MediationFollowUps_Mediations_MediationId",
                table: "MediationFollowUps",
                column: "MediationId",
                principalTable: "Mediations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MediationParties_Mediations_MediationId",
                table: "MediationParties",
                column: "MediationId",
                principalTable: "Mediations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Mediations_Cases_CaseId",
                table: "Mediations",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_MediationSessions_Mediations_MediationId",
                table: "MediationSessions",
                column: "MediationId",
                principalTable: "Mediations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MeetingAttachments_Meetings_MeetingId",
                table: "MeetingAttachments",
                column: "MeetingId",
                principalTable: "Meetings",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_MeetingBodyMembers_MeetingBodies_BodyId",
                table: "MeetingBodyMembers",
                column: "BodyId",
                principalTable: "MeetingBodies",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MeetingParticipants_Meetings_MeetingId",
                table: "MeetingParticipants",
                column: "MeetingId",
                principalTable: "Meetings",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_MinutesAmendments_Meetings_MeetingId",
                table: "MinutesAmendments",
                column: "MeetingId",
                principalTable: "Meetings",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Notifications_Cases_CaseId",
                table: "Notifications",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_OutcomeTallies_Cases_CaseId",
                table: "OutcomeTallies",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_OutcomeTallies_Meetings_MeetingId",
                table: "OutcomeTallies",
                column: "MeetingId",
                principalTable: "Meetings",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_PlanSteps_HandlingPlans_PlanId",
                table: "PlanSteps",
                column: "PlanId",
                principalTable: "HandlingPlans",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_RatingAttempts_Cases_CaseId",
                table: "RatingAttempts",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_WeChatInbound_Cases_CaseId",
                table: "WeChatInbound",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            CitusReadySql.AttachCaseGramsById(migrationBuilder);
        }
    }
}
