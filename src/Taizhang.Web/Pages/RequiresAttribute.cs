using Microsoft.AspNetCore.Mvc.Filters;
using Taizhang.Domain.Access;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Pages;

/// <summary>
/// The one page-level guard: the page is for people with one of whose posts allows
/// <see cref="Permission"/> somewhere (403 otherwise, before any handler runs). Which cases they
/// may act on is still decided per case by the feature handlers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresAttribute(Permission permission) : Attribute, IAsyncPageFilter
{
    public Permission Permission { get; } = permission;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var user = context.HttpContext.RequestServices.GetRequiredService<CurrentUser>();
        if (!(await user.AccessAsync(context.HttpContext.RequestAborted)).HasAnywhere(Permission))
        {
            throw new ForbiddenException();
        }
        await next();
    }
}
