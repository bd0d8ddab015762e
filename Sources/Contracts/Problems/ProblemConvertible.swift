/// An error that says which problem it is answered with. Every service's error type conforms next to its declaration,
/// so the HTTP layer maps errors it has never heard of.
///
/// The problem's `code` names the case, so a client in another process can read a ``ProblemDocument`` back into the same
/// typed error (an `init?(problem:)` beside each conformance): the code, `field`, `detail` and headers such as
/// `Retry-After` carry every case's values, except an amount written only into a detail's text
/// (`BillingError.insufficientFunds`), which would travel as an extension member of the document.
public protocol ProblemConvertible: Error {
    /// The problem to answer with, or nil when this error is a bug (logged, and answered `500` without internals).
    var problem: Problem? { get }
}
