using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Imports;

public static class ImportEndpoints
{
    public static IServiceCollection AddImports(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ImportOptions.Section).Get<ImportOptions>() ?? new ImportOptions();
        services.AddSingleton(options);
        services.AddSingleton<ImportHooks>();
        services.AddSingleton<PendingUploads>();
        services.AddScoped<ImportChunkWriter>();
        services.AddScoped<ImportSources.Handler>();
        services.AddScoped<ImportRuns.Handler>();
        services.AddScoped<RunImport.Handler>();
        services.AddScoped<ImportFile.Handler>();
        // The page's upload (and its mapping confirmation) may carry a sheet up to Imports:MaxBytes.
        services.Configure<RazorPagesOptions>(o => o.Conventions.AddPageApplicationModelConvention("/Imports/Index",
            m => m.EndpointMetadata.Add(new UploadEndpoint("Upload") { MaxFileBytes = options.MaxBytes })));
        return services;
    }

    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<ImportOptions>();
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .WithTags("Imports")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/import-sources", async (ImportSources.Handler h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(ct)));
        api.MapGet("/import-sources/{id:long}", async (long id, ImportSources.Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(id, ct)));
        api.MapPost("/import-sources", async (ImportSources.CreateRequest? request, ImportSources.Handler h, CancellationToken ct) =>
        {
            var created = await h.CreateAsync(request, ct);
            return TypedResults.Created($"/api/v1/import-sources/{created.Id}", created);
        });
        api.MapPut("/import-sources/{id:long}/mapping", async (long id, ImportSources.MappingRequest? request, ImportSources.Handler h, CancellationToken ct) =>
            TypedResults.Ok(await h.SaveMappingAsync(id, request, ct)));
        api.MapPost("/imports/{source:long}", BatchEndpoint)
            .WithMetadata(new UploadEndpoint { MaxFileBytes = options.MaxBytes, TakesJson = true });
        api.MapPost("/imports/{source:long}/file", FileEndpoint)
            .WithMetadata(new UploadEndpoint { MaxFileBytes = options.MaxBytes })
            .DisableAntiforgery();
        api.MapGet("/import-runs", async (ImportRuns.Handler h, int? take, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(take ?? 20, ct)));
        api.MapGet("/import-runs/{id:long}", async (long id, ImportRuns.Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(id, ct)));
        api.MapGet("/import-runs/{id:long}/errors.xlsx", async (long id, ImportRuns.Handler h, HttpContext http, CancellationToken ct) =>
        {
            var (content, fileName) = await h.ErrorSheetAsync(id, ct);
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.File(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName);
        });
        return app;
    }

    /// <summary>
    /// POST /api/v1/imports/{source}: a JSON array of rows, each an object keyed by the field names
    /// (reference, title, description, village, category, name, phone, address, urgency, received, due)
    /// or by the source's column headers; values are strings (numbers are taken as written).
    /// </summary>
    public static async Task<Ok<RunImport.Result>> BatchEndpoint(long source, HttpContext http, RunImport.Handler handler,
        ImportSources.Handler sources, ImportOptions options, Texts texts, CancellationToken ct)
    {
        // Scope first: a caller who may not import through the source learns nothing about its body's faults.
        var saved = ImportFields.Parse((await sources.LoadAsync(source, ct)).Mapping);
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: ct);
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidDataException)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [texts["imports.error.json"]] });
        }
        // A key is a field's name, or the source's column header for it (the sheet's own names): both become the field.
        var fieldOf = saved.Where(kv => !ImportFields.All.Contains(kv.Value)).ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
        var sheet = BatchSheet(body, options.MaxRows, texts, key => ImportFields.All.Contains(key) ? key : fieldOf.GetValueOrDefault(key, key));
        var mapping = ImportFields.All.Where(sheet.Headers.Contains).ToDictionary(f => f, f => f, StringComparer.Ordinal);
        try
        {
            return TypedResults.Ok(await handler.RunAsync(source, sheet, "JSON", mapping, ct));
        }
        catch (RunImport.MappingNeededException)
        {
            throw new RequestValidationException(ImportFields.Required.Where(f => !mapping.ContainsKey(f))
                .ToDictionary(f => "rows[]." + f, _ => new[] { texts["imports.error.field-missing-json"] }));
        }
    }

    private static ImportSheet BatchSheet(JsonElement body, int maxRows, Texts texts, Func<string, string> columnOf)
    {
        RequestValidationException Bad(string field, string key) => new(new Dictionary<string, string[]> { [field] = [texts[key]] });
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw Bad("body", "imports.error.json");
        }
        var count = body.GetArrayLength();
        if (count == 0)
        {
            throw Bad("body", "imports.error.no-rows");
        }
        if (count > maxRows)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [texts.Format("imports.error.too-many-rows", maxRows)] });
        }
        var headers = new List<string>();
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<Dictionary<int, string>>();
        var errors = new FieldErrors();
        var n = 0;
        foreach (var item in body.EnumerateArray())
        {
            var values = new Dictionary<int, string>();
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"rows[{n}]", texts["imports.error.json-row"]);
            }
            else
            {
                foreach (var p in item.EnumerateObject())
                {
                    string? value = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Number => p.Value.GetRawText(),
                        JsonValueKind.Null => null,
                        _ => Invalid(),
                    };
                    string? Invalid()
                    {
                        errors.Add($"rows[{n}].{p.Name}", texts["imports.error.json-value"]);
                        return null;
                    }
                    if (value is null)
                    {
                        continue;
                    }
                    var name = columnOf(p.Name);
                    if (!position.TryGetValue(name, out var i))
                    {
                        if (headers.Count >= ImportSheetReader.MaxColumns)
                        {
                            errors.Add($"rows[{n}].{p.Name}", texts["imports.error.json-value"]);
                            continue;
                        }
                        position[name] = i = headers.Count;
                        headers.Add(name);
                    }
                    values[i] = value;
                }
            }
            rows.Add(values);
            n++;
        }
        errors.ThrowIfAny();
        // Row numbers of a batch are 1-based positions in the array.
        return new ImportSheet([.. headers], rows.Select((v, i) =>
            new SheetRow(i + 1, Enumerable.Range(0, headers.Count).Select(c => v.TryGetValue(c, out var s) ? s : string.Empty).ToArray())).ToList());
    }

    /// <summary>POST /api/v1/imports/{source}/file: multipart with <c>file</c> (.xlsx or .csv), through the source's saved mapping.</summary>
    public static async Task<Ok<RunImport.Result>> FileEndpoint(long source, HttpContext http, ImportFile.Handler handler, Texts texts, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { ["file"] = [texts["imports.error.file-required"]] });
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A multipart body without its boundary, cut short, or otherwise not a form.
            throw new RequestValidationException(new Dictionary<string, string[]> { ["file"] = [texts["imports.error.unreadable"]] });
        }
        var outcome = await handler.UploadAsync(source, form.Files.GetFile("file"), ct, keep: false);
        return outcome.Result is { } result
            ? TypedResults.Ok(result)
            : throw new RequestValidationException(new Dictionary<string, string[]>
            {
                ["file"] = [texts.Format("imports.error.mapping-needed", string.Join(", ", outcome.Headers ?? []))],
            });
    }

    internal static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);
}
