using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// The case page's deadline section (期限与督办): renders <c>_Deadlines.cshtml</c> for the case, so the
/// case page includes it with one line. Its forms post to <c>/cases/{id}/deadlines</c> (DeadlinesModel).
/// </summary>
public sealed class DeadlineSection : ViewComponent
{
    public IViewComponentResult Invoke(CaseDetail detail) =>
        View("/Pages/Cases/_Deadlines.cshtml", DeadlineSectionView.Quiet(detail));
}
