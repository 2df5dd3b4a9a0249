using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data;

/// <summary>
/// A case's row of the full-text index (<see cref="SearchGrams"/>): written with the case, in its
/// transaction, by every writer (the intake writer and imports through <see cref="TableInsert{T}"/>,
/// everything saved through EF by <see cref="TaizhangDb"/> itself). The database turns the tokens into
/// the index as the row goes in (SQLite: a trigger feeds the FTS5 table "CaseSearch"; PostgreSQL: a
/// trigger fills the tsvector column "Vector", GIN-indexed) and then keeps an empty <see cref="Grams"/>:
/// the row stays as the mark that the case is indexed (the backfill looks for cases without one).
/// Titles and descriptions never change after registration, so the row is never rewritten.
/// </summary>
public sealed class CaseGram
{
    private CaseGram()
    {
    }

    public CaseGram(long caseId, long townId, string grams)
    {
        CaseId = caseId;
        TownId = townId;
        Grams = grams;
    }

    /// <summary>For a case saved through EF: its id is known only once it is inserted (the navigation fixes it up).</summary>
    public CaseGram(Case c)
        : this(c.Id, c.TownId, Of(c)) => Case = c;

    public static string Of(Case c) => SearchGrams.Document(c.TownId, c.Title, c.Description, c.ExternalRef);

    public long CaseId { get; private set; }

    public long TownId { get; private set; }

    public string Grams { get; private set; } = string.Empty;

    public Case? Case { get; private set; }
}
