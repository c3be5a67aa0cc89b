using System.Reflection;
using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Microsoft.Extensions.Logging;

namespace Fitten.Etcd.Tests;

/// <summary>
/// Every [LoggerMessage] in the Fitten assemblies that log has an event id of its own, inside its component's range
/// (docs/telemetry.md). Here because this is the one test project that references all of those assemblies.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>The ranges docs/telemetry.md lists, by the namespace (or type) that logs; the first match wins.</summary>
    private static readonly (string Prefix, int Min, int Max)[] Ranges =
    [
        ("Fitten.AspNetCore.Server.", 1, 99),
        ("Fitten.AspNetCore.Pipeline.", 1, 99),
        ("Fitten.Discovery.", 100, 199),
        ("Fitten.AspNetCore.Discovery.", 100, 199),
        ("Fitten.Etcd.", 100, 199),
        ("Fitten.Client.ServiceChannel", 100, 199),
        ("Fitten.AspNetCore.Http.", 200, 299),
        ("Fitten.Pipeline.Stages.", 300, 399),
    ];

    private static readonly Assembly[] Assemblies = [typeof(FittenChannel).Assembly, typeof(IFittenBuilder).Assembly, typeof(EtcdRegistry).Assembly];

    [Fact]
    public void LoggerMessages_Found_InEveryAssemblyThatLogs()
    {
        var events = Events();

        foreach (var assembly in Assemblies)
        {
            Assert.Contains(events, e => e.Method.DeclaringType!.Assembly == assembly);
        }
    }

    [Fact]
    public void EventIds_AreUniqueAcrossAssemblies()
    {
        var duplicates = Events()
            .GroupBy(e => e.Attribute.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => Name(e.Method)))}")
            .ToArray();

        Assert.True(duplicates.Length == 0, "Event ids used more than once: " + string.Join("; ", duplicates));
    }

    [Fact]
    public void EventNames_AreUniqueAcrossAssemblies()
    {
        var duplicates = Events()
            .GroupBy(e => e.Attribute.EventName ?? e.Method.Name)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToArray();

        Assert.True(duplicates.Length == 0, "Event names used more than once: " + string.Join(", ", duplicates));
    }

    [Fact]
    public void EventIds_LieInTheirComponentsRange()
    {
        var outside = new List<string>();
        foreach (var (method, attribute) in Events())
        {
            string name = Name(method);
            var range = Ranges.FirstOrDefault(r => name.StartsWith(r.Prefix, StringComparison.Ordinal));
            if (range.Prefix is null)
            {
                outside.Add($"{name} ({attribute.EventId}): no range for its component; give it one in docs/telemetry.md and here");
            }
            else if (attribute.EventId < range.Min || attribute.EventId > range.Max)
            {
                outside.Add($"{name} ({attribute.EventId}): outside {range.Min}–{range.Max}");
            }
        }

        Assert.True(outside.Count == 0, string.Join("; ", outside));
    }

    private static List<(MethodInfo Method, LoggerMessageAttribute Attribute)> Events()
    {
        var events = new List<(MethodInfo, LoggerMessageAttribute)>();
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } attribute)
                {
                    events.Add((method, attribute));
                }
            }
        }

        return events;
    }

    private static string Name(MethodInfo method) => $"{method.DeclaringType!.FullName}.{method.Name}";
}
