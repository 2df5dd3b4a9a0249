using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Taizhang.Web.Features.Reports;

namespace Taizhang.Web.Pages.Board;

/// <summary>
/// A rate's last 12 months as a small inline SVG, drawn on the server: it shows without JavaScript
/// and prints. A month with nothing to divide by is a gap, not a zero. The title lists every month's
/// value for screen readers (and as a tooltip). The running month (the last, when
/// <c>lastIsRunning</c>) is not finished: it is joined by a dashed segment and drawn as a hollow dot,
/// so a few days' rate is not read as a month's.
/// </summary>
public static class Sparkline
{
    public const double Width = 132, Height = 32, Pad = 3;

    public static IHtmlContent Svg(IReadOnlyList<GetBoard.TrendPoint> points, string title, string id, bool lastIsRunning = false)
    {
        var inv = CultureInfo.InvariantCulture;
        var step = points.Count > 1 ? (Width - 2 * Pad) / (points.Count - 1) : 0;
        string X(int i) => (Pad + i * step).ToString("0.#", inv);
        string Y(double v) => (Height - Pad - Math.Clamp(v, 0, 1) * (Height - 2 * Pad)).ToString("0.#", inv);
        var svg = new StringBuilder();
        svg.Append(inv, $"<svg class=\"sparkline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{id}\" data-points=\"{points.Count}\">");
        svg.Append(inv, $"<title id=\"{id}\">{WebUtility.HtmlEncode(title)}</title>");
        svg.Append(inv, $"<line class=\"base\" x1=\"{Pad}\" y1=\"{Height - Pad}\" x2=\"{Width - Pad}\" y2=\"{Height - Pad}\" stroke=\"#ccc\" stroke-width=\"1\"/>");
        // Runs of months with a value are joined; a month without one breaks the line.
        var run = new List<string>();
        void Flush()
        {
            if (run.Count > 1)
            {
                svg.Append("<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"").Append(string.Join(' ', run)).Append("\"/>");
            }
            run.Clear();
        }
        var finished = lastIsRunning ? points.Count - 1 : points.Count;
        for (var i = 0; i < finished; i++)
        {
            if (points[i].Value is { } v)
            {
                run.Add(X(i) + "," + Y(v));
            }
            else
            {
                Flush();
            }
        }
        Flush();
        if (lastIsRunning && points.Count > 1 && points[^1].Value is { } now && points[^2].Value is { } before)
        {
            svg.Append(inv, $"<line class=\"running\" x1=\"{X(points.Count - 2)}\" y1=\"{Y(before)}\" x2=\"{X(points.Count - 1)}\" y2=\"{Y(now)}\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"2 2\"/>");
        }
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is { } v)
            {
                var last = i == points.Count - 1;
                var paint = last && lastIsRunning
                    ? "fill=\"#fff\" stroke=\"currentColor\" stroke-width=\"1.2\" data-running=\"true\""
                    : "fill=\"currentColor\"";
                svg.Append(inv, $"<circle cx=\"{X(i)}\" cy=\"{Y(v)}\" r=\"{(last ? "2.5" : "1.5")}\" {paint} data-month=\"{points[i].Month}\"/>");
            }
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
