using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Imports;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Imports;

/// <summary>
/// 批量导入: pick or create a source, upload a sheet, confirm its columns the first time, see what came of
/// it (registered, duplicates, rows with errors and their sheet), and the recent runs. Every step posts
/// to a feature handler; the result is shown after a redirect (/imports?run=…), so a reload imports nothing.
/// </summary>
[Requires(Permission.Import)]
public sealed class IndexModel(ImportSources.Handler sources, ImportRuns.Handler runs, ImportOptions options, Texts texts,
    Taizhang.Domain.Calendar.DuePolicy due) : StaffPage
{
    /// <summary>Rows with errors listed on the page (all of them are in the downloadable sheet).</summary>
    public const int ErrorsShown = 200;

    public IReadOnlyList<ImportSources.SourceView> Sources { get; private set; } = [];

    public IReadOnlyList<UnitInfo> Towns { get; private set; } = [];

    public IReadOnlyList<ImportRuns.RunView> Runs { get; private set; } = [];

    /// <summary>The run shown (after an import, or picked from the list).</summary>
    public ImportRuns.RunView? Run { get; private set; }

    public RunImport.ErrorSheet? RunErrors { get; private set; }

    public string MaxSize => AttachmentOptions.Megabytes(options.MaxBytes);

    public int MaxRows => options.MaxRows;

    [BindProperty]
    public long? Source { get; set; }

    [BindProperty]
    public CreateForm Create { get; set; } = new();

    public bool CreateFailed { get; private set; }

    /// <summary>The waiting upload whose columns are being confirmed.</summary>
    [BindProperty]
    public string? Token { get; set; }

    [BindProperty]
    public string? FileName { get; set; }

    /// <summary>field → header, as proposed or as posted.</summary>
    [BindProperty]
    public Dictionary<string, string> Mapping { get; set; } = [];

    public string[]? Headers { get; private set; }

    public bool Failed { get; private set; }

    public sealed class CreateForm
    {
        public string? Name { get; set; }
        public string? Channel { get; set; }
        public string? Town { get; set; }
    }

    public static IReadOnlyList<Channel> Channels => ImportSources.Channels;

    public ImportSources.SourceView? Selected => Sources.FirstOrDefault(s => s.Id == Source);

    public async Task<IActionResult> OnGetAsync(long? source, long? run, CancellationToken ct)
    {
        await LoadAsync(ct);
        Source = source is { } s && Sources.Any(x => x.Id == s) ? s : Sources.Count == 1 ? Sources[0].Id : null;
        if (run is { } r)
        {
            (Run, RunErrors) = await runs.GetWithErrorsAsync(r, ct);
            Source ??= Run.SourceId;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        ImportSources.SourceView? created = null;
        if (await TryAsync(async () => created = await sources.CreateAsync(
                new ImportSources.CreateRequest(Create.Name, Create.Channel, Create.Town, null), ct), "Create."))
        {
            return Done(texts.Format("imports.created-source", created!.Name), $"/imports?source={created.Id}");
        }
        CreateFailed = true;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync([FromServices] ImportFile.Handler import, CancellationToken ct)
    {
        var file = Request.HasFormContentType ? Request.Form.Files.GetFile("file") : null;
        ImportFile.Outcome? outcome = null;
        if (Source is not { } source)
        {
            ModelState.AddModelError(nameof(Source), texts["field.required"]);
        }
        else if (await ImportAsync(async () => outcome = await import.UploadAsync(source, file, ct)))
        {
            if (outcome!.Result is { } result)
            {
                return LocalRedirect($"/imports?source={result.SourceId}&run={result.RunId}#result");
            }
            Token = outcome.Token;
            FileName = file!.FileName;
            Headers = outcome.Headers;
            Mapping = new Dictionary<string, string>(outcome.Proposal!);
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync([FromServices] ImportFile.Handler import, CancellationToken ct)
    {
        var mapping = ImportFields.All.Where(f => Mapping.TryGetValue(f, out var h) && !string.IsNullOrWhiteSpace(h))
            .ToDictionary(f => f, f => Mapping[f].Trim());
        RunImport.Result? result = null;
        if (Source is { } source && await ImportAsync(async () => result = await import.ConfirmAsync(source, Token, FileName ?? "-", mapping, ct)))
        {
            return LocalRedirect($"/imports?source={result!.SourceId}&run={result.RunId}#result");
        }
        if (Token is not null)
        {
            try
            {
                Headers = await import.HeadersAsync(Token, FileName ?? "-", ct);
            }
            catch (RequestValidationException)
            {
                Token = null;
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>TryAsync, and a run stopped part-way is said as what it is: the rest continues when the file is uploaded again.</summary>
    private async Task<bool> ImportAsync(Func<Task> action)
    {
        var stopped = false;
        var ok = await TryAsync(async () =>
        {
            try
            {
                await action();
            }
            catch (UnavailableException)
            {
                stopped = true;
                throw;
            }
        });
        if (stopped)
        {
            Failed = true;
            ModelState.Remove(string.Empty);
        }
        return ok;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Towns = await sources.TownsAsync(ct);
        Sources = await sources.ListAsync(ct);
        Runs = await runs.ListAsync(20, ct);
    }

    /// <summary>The ledger link for a run's cases: its channel, on the days it ran (Shanghai).</summary>
    public string LedgerLink(ImportRuns.RunView run) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"/cases?channel={run.Channel}&from={due.LocalDate(run.StartedAt):yyyy-MM-dd}&to={due.LocalDate(run.FinishedAt ?? run.StartedAt):yyyy-MM-dd}");
}
