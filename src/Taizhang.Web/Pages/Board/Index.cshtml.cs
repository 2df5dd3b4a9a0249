using System.Globalization;
using Taizhang.Web.Features.Reports;

namespace Taizhang.Web.Pages.Board;

/// <summary>一览清: the board of <see cref="GetBoard"/>; every number links to the ledger.</summary>
public sealed class IndexModel(GetBoard.Handler board, Features.Consultation.ConsultationReport.Handler consultation) : StaffPage
{
    public GetBoard.Board Board { get; private set; } = null!;

    /// <summary>This month's consultation figures (Pages/Board/_Consultation.cshtml).</summary>
    public Features.Consultation.ConsultationReport.Response Consultation { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        Board = await board.HandleAsync(HttpContext.RequestAborted);
        Consultation = await consultation.ForPeriodAsync(Board.MonthStart, Board.Today, HttpContext.RequestAborted);
    }

    public static string Shown(GetBoard.Rate rate) =>
        rate.Value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : "—";
}
