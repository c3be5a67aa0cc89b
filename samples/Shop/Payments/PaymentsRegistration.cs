using Fitten.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using Shop.Contracts;

namespace Shop.Payments;

/// <summary>Adds the payments service to a host.</summary>
public static class PaymentsRegistration
{
    /// <summary>Serves <see cref="IPaymentService"/> with its card rules from <c>Shop:Payments</c>; payments calls nobody.</summary>
    public static IFittenBuilder AddPayments(this IFittenBuilder fitten)
    {
        fitten.Services.AddOptions<PaymentOptions>()
            .BindConfiguration(PaymentOptions.Section)
            .Validate(o => o.CardLimit > 0, $"{PaymentOptions.Section}:CardLimit must be positive.")
            .Validate(o => o.ProcessingDelay >= TimeSpan.Zero && o.ProcessingDelay <= TimeSpan.FromMinutes(1), $"{PaymentOptions.Section}:ProcessingDelay must be between 0 and 1 minute.")
            .ValidateOnStart();
        return fitten.AddService<IPaymentService, PaymentService>();
    }
}
