namespace Taizhang.Web.Data;

/// <summary>One year of official holidays and adjusted working days, in the calendar file format.</summary>
public sealed class HolidayCalendarYear
{
    public int Year { get; set; }
    public string Json { get; set; } = string.Empty;
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = string.Empty;
}

/// <summary>An installation-wide setting stored as JSON (service levels).</summary>
public sealed class Setting
{
    public const string ServiceLevels = "service-levels";

    /// <summary>成效: the outcome measures cases and meetings record (a JSON list of key, name, unit).</summary>
    public const string OutcomeMeasures = "outcome-measures";

    public string Key { get; set; } = string.Empty;
    public string Value { get; set; } = string.Empty;
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = string.Empty;
}
