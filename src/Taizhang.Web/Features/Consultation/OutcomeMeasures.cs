using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Consultation;

/// <summary>
/// 成效指标: the list of outcome measures cases and meetings record (key, name, unit), kept in
/// <see cref="Setting.OutcomeMeasures"/>; without a row, the source article's
/// <see cref="OutcomeMeasure.Defaults"/>. Every signed-in person reads it; a top-level administrator
/// changes it (it applies to every town). A key taken off the list keeps its recorded totals.
/// </summary>
public static class OutcomeMeasures
{
    public sealed record MeasureBody(string? Key, string? Name, string? Unit);

    public sealed record PutRequest(IReadOnlyList<MeasureBody?>? Measures);

    public sealed record Listing(IReadOnlyList<OutcomeMeasure> Measures, bool Customized, DateTime? UpdatedAt, string? UpdatedBy);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A measure as the reports show it: a built-in one (<see cref="OutcomeMeasure.Defaults"/>, unchanged) in the reader's
    /// language (reports-page.measure.{key}); a measure the town named or renamed as it was entered.
    /// </summary>
    public static OutcomeMeasure Shown(OutcomeMeasure measure, Texts texts) =>
        OutcomeMeasure.Defaults.Contains(measure)
            ? measure with
            {
                Name = texts.Lookup("reports-page.measure." + measure.Key) ?? measure.Name,
                Unit = texts.Lookup("reports-page.measure." + measure.Key + ".unit") ?? measure.Unit,
            }
            : measure;

    public sealed class Handler(TaizhangDb db, AdminScope admin, Texts texts, TimeProvider clock)
    {
        /// <summary>The measures in force.</summary>
        public async Task<Listing> ListAsync(CancellationToken ct)
        {
            var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == Setting.OutcomeMeasures, ct);
            var measures = row is null ? null : Parse(row.Value);
            return measures is null
                ? new Listing(OutcomeMeasure.Defaults, false, null, null)
                : new Listing(measures, true, row!.UpdatedAt, row.UpdatedBy);
        }

        public async Task<IReadOnlyList<OutcomeMeasure>> CurrentAsync(CancellationToken ct) => (await ListAsync(ct)).Measures;

        /// <summary>Replaces the list (top-level administrators): each refusal is a field error naming the entry (<c>measures[2].key</c>).</summary>
        public async Task<Listing> PutAsync(PutRequest request, CancellationToken ct)
        {
            var scope = (await admin.RequireAsync(ct)).RequireTopLevel();
            var measures = Validate(request, texts);
            var now = clock.GetUtcNow().UtcDateTime;
            var value = JsonSerializer.Serialize(measures, Json);
            var setting = await db.Settings.FirstOrDefaultAsync(s => s.Key == Setting.OutcomeMeasures, ct);
            if (setting is null)
            {
                db.Settings.Add(new Setting { Key = Setting.OutcomeMeasures, Value = value, UpdatedAt = now, UpdatedBy = scope.Principal.Actor.Name });
            }
            else
            {
                (setting.Value, setting.UpdatedAt, setting.UpdatedBy) = (value, now, scope.Principal.Actor.Name);
            }
            db.Record(scope.Principal.Actor, now, "outcome-measures.put", "setting:" + Setting.OutcomeMeasures, value);
            await db.SaveChangesAsync(ct);
            return await ListAsync(ct);
        }

        /// <summary>Any administrator reads the list, and whether they may change it.</summary>
        public async Task<(Listing Listing, bool Editable)> AdminListAsync(CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            return (await ListAsync(ct), scope.IsTopLevel);
        }
    }

    public static IReadOnlyList<OutcomeMeasure> Validate(PutRequest request, Texts texts)
    {
        var errors = new FieldErrors();
        var list = request.Measures ?? [];
        if (list.Count == 0)
        {
            errors.Add("measures", texts["field.required"]);
        }
        else if (list.Count > OutcomeMeasure.MaxCount)
        {
            errors.Add("measures", texts.Format("consultation.measures.too-many", OutcomeMeasure.MaxCount));
        }
        var result = new List<OutcomeMeasure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count && i < OutcomeMeasure.MaxCount; i++)
        {
            var m = list[i];
            var prefix = $"measures[{i}].";
            var key = m?.Key?.Trim();
            if (string.IsNullOrEmpty(key))
            {
                errors.Add(prefix + "key", texts["field.required"]);
            }
            else if (!OutcomeMeasure.IsValidKey(key))
            {
                errors.Add(prefix + "key", texts.Format("consultation.measures.bad-key", key, OutcomeMeasure.KeyMaxLength));
                key = null;
            }
            else if (!seen.Add(key))
            {
                errors.Add(prefix + "key", texts.Format("consultation.measures.duplicate-key", key));
                key = null;
            }
            var name = RequestParsing.Text(errors, texts, prefix + "name", m?.Name, OutcomeMeasure.NameMaxLength, required: true);
            var unit = RequestParsing.Text(errors, texts, prefix + "unit", m?.Unit, OutcomeMeasure.UnitMaxLength, required: true);
            if (key is not null && name is not null && unit is not null)
            {
                result.Add(new OutcomeMeasure(key, name.Trim(), unit.Trim()));
            }
        }
        errors.ThrowIfAny();
        return result;
    }

    /// <summary>The stored list, or null when the row cannot be read (the defaults then apply).</summary>
    private static List<OutcomeMeasure>? Parse(string value)
    {
        try
        {
            var list = JsonSerializer.Deserialize<List<OutcomeMeasure>>(value, Json);
            return list is { Count: > 0 } && list.All(m => OutcomeMeasure.IsValidKey(m.Key)) ? list : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async Task<Ok<Listing>> GetEndpoint(Handler handler, CancellationToken ct) => TypedResults.Ok(await handler.ListAsync(ct));

    public static async Task<Ok<Listing>> PutEndpoint(PutRequest request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.PutAsync(request, ct));
}
