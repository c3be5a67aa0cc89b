namespace Shop.Payments;

/// <summary>The card rules payments applies, read from <c>Shop:Payments</c>. Checked at start-up.</summary>
public sealed class PaymentOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Shop:Payments";

    /// <summary>
    /// The most one charge may be; a bigger one is declined. Default: 1,000.00, so two espresso machines are
    /// declined while every other product in the catalogue goes through. Must be positive.
    /// </summary>
    public decimal CardLimit { get; set; } = 1000m;

    /// <summary>
    /// A card number that is always declined, for trying the compensation path by hand. Default:
    /// "4000-0000-0000-0002", the decline test card of common payment providers. Compared by digits only.
    /// </summary>
    public string DeclinedCard { get; set; } = "4000-0000-0000-0002";
}
