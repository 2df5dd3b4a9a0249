using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// Other cases named in a case's record: the case it was merged into, the cases merged into it (the
/// Merge and AbsorbMerged events' payloads, reporters' FromCaseId), and tracking codes people wrote
/// into reasons, results, plans and descriptions. A reader is shown such a reference only when they
/// may see that other case: a case of another village must not become known, and then followed on
/// the public tracking view, through a merge. Otherwise the reference is left out (a merge "into
/// another case") and a code in free text is masked, as phone numbers are.
/// </summary>
public sealed partial class CaseReferences
{
    public const string MaskedCode = "****-****";

    /// <summary>The payload fields naming another case, by the event that writes them (Case.MergeInto).</summary>
    private static readonly Dictionary<CaseAction, (string Id, string Code)> CaseFields = new()
    {
        [CaseAction.Merge] = ("intoCaseId", "intoTrackingCode"),
        [CaseAction.AbsorbMerged] = ("mergedCaseId", "mergedTrackingCode"),
    };

    /// <summary>Payload fields that hold free text (Resolve's result, Plan's plan); reasons are on the event.</summary>
    private static readonly string[] TextFields = ["result", "plan"];

    private readonly Dictionary<long, string> _visibleById;
    private readonly HashSet<string> _hiddenCodes;

    private CaseReferences(Dictionary<long, string> visibleById, HashSet<string> hiddenCodes)
    {
        _visibleById = visibleById;
        _hiddenCodes = hiddenCodes;
    }

    /// <summary>
    /// Looks up every other case the record names, in one query (none when it names none), and keeps
    /// those the reader may see.
    /// </summary>
    public static async Task<CaseReferences> LoadAsync(TaizhangDb db, CaseAccess access, Case c, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        if (c.MergedIntoId is { } into)
        {
            ids.Add(into);
        }
        foreach (var r in c.Reporters)
        {
            if (r.FromCaseId is { } from)
            {
                ids.Add(from);
            }
        }
        foreach (var text in new[] { c.Description, c.Result, c.HandlingPlan }.OfType<string>())
        {
            codes.UnionWith(CodesIn(text));
        }
        foreach (var e in c.Events)
        {
            if (CaseFields.TryGetValue(e.Action, out var fields) && e.Payload is not null)
            {
                using var payload = JsonDocument.Parse(e.Payload);
                if (Long(payload.RootElement, fields.Id) is { } id)
                {
                    ids.Add(id);
                }
            }
            foreach (var text in FreeTexts(e))
            {
                codes.UnionWith(CodesIn(text));
            }
        }
        ids.Remove(c.Id);
        codes.Remove(c.TrackingCode);
        var visibleById = new Dictionary<long, string> { [c.Id] = c.TrackingCode };
        var hiddenCodes = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count > 0 || codes.Count > 0)
        {
            var idList = ids.Concat((await db.CaseIdsOfAsync(codes, ct)).Values).Distinct().ToList();
            var others = await db.Cases.AsNoTracking()
                .Where(x => idList.Contains(x.Id))
                .Select(x => new { x.Id, x.TrackingCode, x.OrgUnitId, x.AssigneeUnitId })
                .ToListAsync(ct);
            foreach (var o in others)
            {
                if (access.CanSee(o.OrgUnitId, o.AssigneeUnitId))
                {
                    visibleById[o.Id] = o.TrackingCode;
                }
                else
                {
                    hiddenCodes.Add(o.TrackingCode);
                }
            }
        }
        return new CaseReferences(visibleById, hiddenCodes);
    }

    /// <summary>
    /// For many cases read at once (the ledger's export and print view): the tracking codes written in
    /// their free texts, looked up in one query (none when they name none); <see cref="Mask"/> then hides
    /// the codes of cases the reader may not see. Names no case by id.
    /// </summary>
    public static async Task<CaseReferences> ForTextsAsync(TaizhangDb db, CaseAccess access, IEnumerable<string?> texts, CancellationToken ct)
    {
        var codes = texts.OfType<string>().SelectMany(CodesIn).Distinct(StringComparer.Ordinal).ToList();
        var hiddenCodes = new HashSet<string>(StringComparer.Ordinal);
        if (codes.Count > 0)
        {
            var byCode = (await db.CaseIdsOfAsync(codes, ct)).Values.ToList();
            var named = await db.Cases.AsNoTracking()
                .Where(x => byCode.Contains(x.Id))
                .Select(x => new { x.TrackingCode, x.OrgUnitId, x.AssigneeUnitId })
                .ToListAsync(ct);
            hiddenCodes.UnionWith(named.Where(o => !access.CanSee(o.OrgUnitId, o.AssigneeUnitId)).Select(o => o.TrackingCode));
        }
        return new CaseReferences([], hiddenCodes);
    }

    /// <summary>The other case's tracking code, or null when the reader may not see it (or it does not exist).</summary>
    public string? CodeOf(long? id) => id is { } v && _visibleById.TryGetValue(v, out var code) ? code : null;

    public bool Sees(long? id) => CodeOf(id) is not null;

    /// <summary>
    /// Free text with the codes of cases the reader may not see masked. Only codes of cases that
    /// exist: anything else shaped like a code (a number, a word in capitals) names no case.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Mask(string? text) => _hiddenCodes.Count == 0 ? text : MaskCodes(text, code => !_hiddenCodes.Contains(code));

    /// <summary>
    /// A free text a person typed (a reason, a note) as every view shows it: the codes of cases the reader may not see
    /// masked (<see cref="Mask"/>), and phone numbers typed into it masked (<see cref="PersonalData.MaskPhonesIn"/>).
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? MaskText(string? text) => text is null ? null : PersonalData.MaskPhonesIn(Mask(text));

    /// <summary>
    /// An event's payload as this reader may see it: a merge partner they may not see is left out
    /// (id and code), and codes in free text are masked. Without <paramref name="mayReveal"/>, an
    /// AddReporter does not say whether it repeated a known reporter (it would confirm a guessed
    /// name and phone to someone who sees them masked).
    /// </summary>
    public JsonElement? Payload(CaseEvent e, bool mayReveal)
    {
        if (e.Payload is null)
        {
            return null;
        }
        // Most events need no change: read them as they are, without building a mutable tree.
        if (!CaseFields.ContainsKey(e.Action) && !(e.Action == CaseAction.AddReporter && !mayReveal)
            && !(_hiddenCodes.Count > 0 && TextFields.Any(f => e.Payload.Contains('"' + f + '"', StringComparison.Ordinal))))
        {
            using var document = JsonDocument.Parse(e.Payload);
            return document.RootElement.Clone();
        }
        var node = JsonNode.Parse(e.Payload);
        if (node is not JsonObject payload)
        {
            return JsonSerializer.SerializeToElement(node);
        }
        if (CaseFields.TryGetValue(e.Action, out var fields)
            && !Sees(payload[fields.Id] is JsonValue v && v.TryGetValue<long>(out var id) ? id : null))
        {
            payload.Remove(fields.Id);
            payload.Remove(fields.Code);
        }
        foreach (var field in TextFields)
        {
            if (payload[field] is JsonValue t && t.TryGetValue<string>(out var text) && Mask(text) is var masked && masked != text)
            {
                payload[field] = masked;
            }
        }
        if (e.Action == CaseAction.AddReporter && !mayReveal)
        {
            payload.Remove("repeat");
        }
        return JsonSerializer.SerializeToElement(payload);
    }

    /// <summary>
    /// For a reader who may see no other case (the public tracking view): every tracking code but
    /// the case's own is masked.
    /// </summary>
    public static string? MaskOthers(string? text, string ownCode) => MaskCodes(text, code => code == ownCode);

    [return: NotNullIfNotNull(nameof(text))]
    private static string? MaskCodes(string? text, Func<string, bool> visible) =>
        string.IsNullOrEmpty(text) ? text : CodeLike().Replace(text, m => TrackingCodes.Normalize(m.Value) is { } code && visible(code) ? m.Value : MaskedCode);

    private static IEnumerable<string> FreeTexts(CaseEvent e)
    {
        if (e.Reason is not null)
        {
            yield return e.Reason;
        }
        if (e.Payload is not null && TextFields.Any(f => e.Payload.Contains('"' + f + '"', StringComparison.Ordinal)))
        {
            using var payload = JsonDocument.Parse(e.Payload);
            foreach (var field in TextFields)
            {
                if (payload.RootElement.ValueKind == JsonValueKind.Object && payload.RootElement.TryGetProperty(field, out var v)
                    && v.ValueKind == JsonValueKind.String)
                {
                    yield return v.GetString()!;
                }
            }
        }
    }

    private static IEnumerable<string> CodesIn(string text) =>
        CodeLike().Matches(text).Select(m => TrackingCodes.Normalize(m.Value)).OfType<string>();

    private static long? Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    /// <summary>
    /// Tracking codes as people write them (TrackingCodes' alphabet, XXXX-XXXX in any letter case,
    /// or eight capitals and digits without the dash), not inside a longer word or number.
    /// </summary>
    // Written any way people write a code: upper case with or without a separator, any case with one;
    // the separator a hyphen (also full-width or typographic), an underscore or a space.
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:[2-9A-HJKMNP-TV-Z]{4}[-－_ \u3000\u2010-\u2015]?[2-9A-HJKMNP-TV-Z]{4}|(?i:[2-9A-HJKMNP-TV-Z]{4}[-－_ \u3000\u2010-\u2015][2-9A-HJKMNP-TV-Z]{4}))(?![0-9A-Za-z])")]
    private static partial Regex CodeLike();
}
