/**
 * The exchange rates a new installation starts with: the euro foreign exchange reference
 * rates of the European Central Bank for the date below (units of each currency per euro),
 * transcribed by hand. They make `converted_amount` work offline on day one; an installation
 * that reports money should load current rates with `hellohub rates import FILE`.
 */
export const DEFAULT_RATES = {
  asOf: '2025-01-02',
  rates: {
    EUR: 1,
    USD: 1.0321,
    JPY: 163.23,
    BGN: 1.9558,
    CZK: 25.164,
    DKK: 7.4587,
    GBP: 0.82878,
    HUF: 411.65,
    PLN: 4.2718,
    RON: 4.9745,
    SEK: 11.4705,
    CHF: 0.9396,
    ISK: 144.3,
    NOK: 11.7835,
    TRY: 36.4936,
    AUD: 1.6613,
    BRL: 6.3964,
    CAD: 1.4865,
    CNY: 7.5338,
    HKD: 8.0232,
    IDR: 16770.3,
    ILS: 3.7657,
    INR: 88.5475,
    KRW: 1517.78,
    MXN: 21.2315,
    MYR: 4.6147,
    NZD: 1.8392,
    PHP: 59.846,
    SGD: 1.4086,
    THB: 35.452,
    ZAR: 19.4651,
  },
} as const satisfies { asOf: string; rates: Record<string, number> };
