using System.Globalization;
using Taizhang.Web.Features.Reports;

namespace Taizhang.Web.Pages.Board;

/// <summary>
/// 一览清: the board of <see cref="GetBoard"/> for a period (<c>?period=month|last-month|year</c>);
/// every number links to its cases. <c>/board/events</c> tells an open board when cases change
/// (board-live.js re-fetches the page and swaps it in); without JavaScript the page is the same.
/// </summary>
// The board counts twelve months (and two years for this year's): under the reports' limit per account (ReportRateLimit).
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ReportRateLimit.Policy)]
public sealed class IndexModel(GetBoard.Handler board, Features.Consultation.ConsultationReport.Handler consultation, IServiceScopeFactory scopes) : StaffPage
{
    public GetBoard.Board Board { get; private set; } = null!;

    /// <summary>The period's consultation figures (Pages/Board/_Consultation.cshtml).</summary>
    public Features.Consultation.ConsultationReport.Response Consultation { get; private set; } = null!;

    public async Task OnGetAsync(string? period)
    {
        var ct = HttpContext.RequestAborted;
        // The consultation figures counted beside the board's (SideTask), for the same period.
        var range = board.PeriodOf(period);
        await using var side = Infrastructure.SideTask<Features.Consultation.ConsultationReport.Response>.Start(scopes,
            services => services.GetRequiredService<Features.Consultation.ConsultationReport.Handler>().ForPeriodAsync(range.From, range.To, ct), ct);
        Board = await board.HandleAsync(ct, period);
        Consultation = (Board.From, Board.To) == (range.From, range.To)
            ? await side.Result
            // The day turned in between: the board's period it is.
            : await consultation.ForPeriodAsync(Board.From, Board.To, ct);
    }

    public static string Shown(GetBoard.Rate rate) => Shown(rate.Value);

    public static string Shown(double? value) =>
        value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : "—";
}
