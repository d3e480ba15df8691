/// The UI an app draws for the SDK. The web SDK draws its own floating button and workbench; the
/// Swift SDK has no UI of its own, so `tccc.UI.show()` and the rest call these hooks instead.
///
/// Every method has an empty default, so an app implements only those it has a use for:
///
/// ```swift
/// final class Workbench: TCCCUserInterface {
///     func showWorkbench() { window.makeKeyAndOrderFront(nil) }
///     func hideWorkbench() { window.orderOut(nil) }
/// }
/// tccc.UI.delegate = workbench
/// ```
public protocol TCCCUserInterface: AnyObject, Sendable {
    /// `UI.show`: show all of the SDK's UI.
    func show()
    /// `UI.hide`: hide all of the SDK's UI.
    func hide()
    /// `UI.showfloatButton`: show the floating button.
    func showfloatButton()
    /// `UI.hidefloatButton`: hide the floating button.
    func hidefloatButton()
    /// `UI.showWorkbench`: show the workbench.
    func showWorkbench()
    /// `UI.hideWorkbench`: hide the workbench.
    func hideWorkbench()
}

extension TCCCUserInterface {
    /// Does nothing.
    public func show() {}
    /// Does nothing.
    public func hide() {}
    /// Does nothing.
    public func showfloatButton() {}
    /// Does nothing.
    public func hidefloatButton() {}
    /// Does nothing.
    public func showWorkbench() {}
    /// Does nothing.
    public func hideWorkbench() {}
}

extension TCCC {
    /// The document's `tccc.UI`: each call is passed to the app's ``TCCCUserInterface``.
    public struct UserInterfaceHooks: Sendable {
        let shared: SharedState

        /// The app's UI, held weakly; nil makes every call do nothing.
        public var delegate: (any TCCCUserInterface)? {
            get { shared.userInterface }
            nonmutating set { shared.userInterface = newValue }
        }

        /// `UI.hide`: hide all of the SDK's UI.
        public func hide() { delegate?.hide() }
        /// `UI.show`: show all of the SDK's UI.
        public func show() { delegate?.show() }
        /// `UI.showfloatButton`: show the floating button.
        public func showfloatButton() { delegate?.showfloatButton() }
        /// `UI.hidefloatButton`: hide the floating button.
        public func hidefloatButton() { delegate?.hidefloatButton() }
        /// `UI.showWorkbench`: show the workbench.
        public func showWorkbench() { delegate?.showWorkbench() }
        /// `UI.hideWorkbench`: hide the workbench.
        public func hideWorkbench() { delegate?.hideWorkbench() }
    }
}
