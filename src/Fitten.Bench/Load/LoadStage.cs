using System.Globalization;

namespace Fitten.Bench.Load;

/// <summary>
/// One step of a staged run: hold a rate (open model) or a concurrency (closed model) for a duration. A list of
/// stages is a staircase, e.g. <c>10s:1000rps,30s:5000rps,10s:0rps</c> or <c>10s:8c,10s:32c,10s:128c</c>, which is
/// what finding the knee needs: each step is long enough to read a steady p99.
/// </summary>
/// <param name="Duration">How long the step lasts; positive.</param>
/// <param name="Value">Requests per second (open) or workers (closed); zero pauses the load.</param>
public sealed record LoadStage(TimeSpan Duration, double Value)
{
    /// <summary>
    /// Parses a comma-separated stage list. Each stage is <c>DURATION:VALUE</c> where the value ends in <c>rps</c>
    /// (a rate, open model) or <c>c</c> (a concurrency, closed model); all stages must use the same unit.
    /// </summary>
    /// <param name="text">For example <c>10s:1000rps,30s:5000rps</c>.</param>
    /// <param name="model">The model the units imply.</param>
    /// <exception cref="FormatException">The text is not a valid stage list.</exception>
    public static IReadOnlyList<LoadStage> ParseList(string text, out LoadModel model)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stages = new List<LoadStage>();
        LoadModel? seen = null;
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"stage '{raw}' is not DURATION:VALUE, e.g. 10s:1000rps or 10s:32c");
            }

            var duration = DurationParser.Parse(raw[..colon]);
            var valueText = raw[(colon + 1)..].Trim();
            LoadModel stageModel;
            if (valueText.EndsWith("rps", StringComparison.OrdinalIgnoreCase))
            {
                stageModel = LoadModel.Open;
                valueText = valueText[..^3];
            }
            else if (valueText.EndsWith('c') || valueText.EndsWith('C'))
            {
                stageModel = LoadModel.Closed;
                valueText = valueText[..^1];
            }
            else
            {
                throw new FormatException($"stage '{raw}': the value needs a unit, 'rps' (rate) or 'c' (concurrency)");
            }

            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsInfinity(value))
            {
                throw new FormatException($"stage '{raw}': '{valueText}' is not a non-negative number");
            }

            if (stageModel == LoadModel.Closed && value != Math.Floor(value))
            {
                throw new FormatException($"stage '{raw}': a concurrency must be a whole number");
            }

            if (seen is not null && seen != stageModel)
            {
                throw new FormatException("all stages must use the same unit: either rates (rps) or concurrencies (c)");
            }

            seen = stageModel;
            stages.Add(new LoadStage(duration, value));
        }

        if (stages.Count == 0)
        {
            throw new FormatException("the stage list is empty");
        }

        model = seen!.Value;
        return stages;
    }

    /// <inheritdoc />
    public override string ToString() => ToString(LoadModel.Open);

    /// <summary>Formats the stage in the syntax <see cref="ParseList"/> reads.</summary>
    /// <param name="model">The model, which decides the unit.</param>
    public string ToString(LoadModel model) =>
        DurationParser.Format(Duration) + ":" + Value.ToString(CultureInfo.InvariantCulture) + (model == LoadModel.Open ? "rps" : "c");
}
