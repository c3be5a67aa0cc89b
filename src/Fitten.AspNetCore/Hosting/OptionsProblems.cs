using Fitten.AspNetCore.Server;
using Fitten.Client;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Hosting;

/// <summary>
/// Validates the client options registered by name (one per service) at start-up, with messages that name the
/// configuration key: the options' own <c>Validate()</c> rules, under <c>Fitten:Clients:{service}</c>.
/// </summary>
internal sealed class OptionsProblems : IValidateOptions<FittenChannelOptions>, IValidateOptions<ServiceChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, FittenChannelOptions options) => Check(name, options.Validate);

    public ValidateOptionsResult Validate(string? name, ServiceChannelOptions options) => Check(name, options.Validate);

    /// <summary>An option's complaint without .NET's "(Parameter …)" suffix, with the value it had.</summary>
    public static string Describe(ArgumentException exception)
    {
        string message = exception.Message;
        int suffix = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            message = message[..suffix];
        }

        return exception is ArgumentOutOfRangeException { ActualValue: { } value } ? $"{message} It is {value}." : message;
    }

    private static ValidateOptionsResult Check(string? name, Action validate)
    {
        try
        {
            validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            string section = FittenOptionsSetup.ClientSection(string.IsNullOrEmpty(name) ? "(unnamed)" : name);
            return ValidateOptionsResult.Fail($"{section}:{ex.ParamName}: {Describe(ex)}");
        }
    }
}
