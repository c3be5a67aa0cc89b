namespace Fitten.Bench.Load;

/// <summary>
/// What load to generate: the model and its steps. A single-step profile is the common case
/// (<see cref="Closed"/> or <see cref="Open"/>); a staged profile walks a staircase.
/// </summary>
public sealed record LoadProfile
{
    private LoadProfile(LoadModel model, IReadOnlyList<LoadStage> stages, bool staged)
    {
        Model = model;
        Stages = stages;
        IsStaged = staged;
    }

    /// <summary>The load model.</summary>
    public LoadModel Model { get; }

    /// <summary>
    /// The steps. For an unstaged profile this is one step whose duration is ignored: the scenario's duration or
    /// request count ends the run.
    /// </summary>
    public IReadOnlyList<LoadStage> Stages { get; }

    /// <summary>Whether the stages set the run's length (a staged run) rather than a duration or count.</summary>
    public bool IsStaged { get; }

    /// <summary>The highest concurrency (closed) or rate (open) of any step.</summary>
    public double Peak
    {
        get
        {
            var peak = 0d;
            foreach (var stage in Stages)
            {
                peak = Math.Max(peak, stage.Value);
            }

            return peak;
        }
    }

    /// <summary>The total length of a staged run.</summary>
    public TimeSpan StagedDuration
    {
        get
        {
            var total = TimeSpan.Zero;
            foreach (var stage in Stages)
            {
                total += stage.Duration;
            }

            return total;
        }
    }

    /// <summary>Closed model: <paramref name="concurrency"/> workers, each waiting for its answer.</summary>
    /// <param name="concurrency">Workers (and connections); at least 1.</param>
    public static LoadProfile Closed(int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        return new LoadProfile(LoadModel.Closed, [new LoadStage(TimeSpan.Zero, concurrency)], staged: false);
    }

    /// <summary>Open model: a constant arrival rate, latency measured from each request's intended send time.</summary>
    /// <param name="requestsPerSecond">The arrival rate; positive.</param>
    public static LoadProfile Open(double requestsPerSecond)
    {
        if (!(requestsPerSecond > 0) || double.IsInfinity(requestsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, "The rate must be a positive number of requests per second.");
        }

        return new LoadProfile(LoadModel.Open, [new LoadStage(TimeSpan.Zero, requestsPerSecond)], staged: false);
    }

    /// <summary>A staircase of rates (open) or concurrencies (closed); the run lasts as long as the stages.</summary>
    /// <param name="model">The model the stage values belong to.</param>
    /// <param name="stages">The steps, each with a positive duration.</param>
    public static LoadProfile Staged(LoadModel model, IReadOnlyList<LoadStage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            throw new ArgumentException("At least one stage is needed.", nameof(stages));
        }

        foreach (var stage in stages)
        {
            if (stage.Duration <= TimeSpan.Zero)
            {
                throw new ArgumentException("Every stage needs a positive duration.", nameof(stages));
            }

            if (stage.Value < 0 || double.IsNaN(stage.Value) || double.IsInfinity(stage.Value))
            {
                throw new ArgumentException("Stage values must be non-negative numbers.", nameof(stages));
            }
        }

        var copy = stages.ToArray();
        var profile = new LoadProfile(model, copy, staged: true);
        if (profile.Peak <= 0)
        {
            throw new ArgumentException("At least one stage must send load.", nameof(stages));
        }

        return profile;
    }

    /// <summary>Parses a <c>--stages</c> list; see <see cref="LoadStage.ParseList"/>.</summary>
    /// <param name="text">For example <c>10s:1000rps,30s:5000rps,10s:0rps</c>.</param>
    public static LoadProfile ParseStages(string text)
    {
        var stages = LoadStage.ParseList(text, out var model);
        return Staged(model, stages);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsStaged)
        {
            return (Model == LoadModel.Open ? "open, stages " : "closed, stages ") + string.Join(',', Stages.Select(s => s.ToString(Model)));
        }

        return Model == LoadModel.Open
            ? $"open, {Stages[0].Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} req/s"
            : "closed, " + Reporting.Format.Count((long)Stages[0].Value, "worker");
    }
}
