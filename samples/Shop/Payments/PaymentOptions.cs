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

    /// <summary>
    /// How long the pretend card processor takes to answer a charge. Default: 0. Set it (e.g. "00:00:03") to try
    /// deadlines by hand: with <c>fitten-timeout: 1s</c> on <c>POST /orders</c> the gateway answers 504 after a
    /// second, and every service behind it has stopped waiting too. At most one minute.
    /// </summary>
    public TimeSpan ProcessingDelay { get; set; } = TimeSpan.Zero;
}
