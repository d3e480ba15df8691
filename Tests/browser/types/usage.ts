/// <reference path="../../../Public/sdk/tccc.d.ts" />
// Compiled by test_types.py: every use below must type-check, and the @ts-expect-error lines must not.
async function demo() {
  TCCC.on('callIn', (offer) => {
    if (offer.type === 'im') { const n: string = offer.nickname; console.log(n, offer.clientData); }
    if (offer.type === 'phone') { console.log(offer.ivrPath[0].label, offer.calleePhoneNumber); }
    if (offer.type === 'internal') { console.log(offer.peerUserId); }
  });
  tccc.on(TCCC.events.sessionEnded, (e) => { const c: TCCC.CloseBy = e.closeBy; console.log(c, e.mainReason); });
  TCCC.on('statusChanged', (s) => console.log(s.status, s.restReason));
  const r = await TCCC.Chat.accept({ sessionId: 's-1' });
  if (r.status === 'error') console.log(r.errorMsg.length);
  const sent = await TCCC.Chat.sendMessage({ sessionId: 's-1', text: 'hi' });
  if (sent.status === 'success') console.log(sent.data.messageId);
  const page = await TCCC.Chat.getMessages({ sessionId: 's-1', order: 'newest', limit: 10 });
  if (page.status === 'success') console.log(page.data.messages[0].text, page.data.hasMore);
  const s: TCCC.AgentStatus = TCCC.Agent.getStatus();
  await TCCC.Agent.setStatus({ status: 'rest', restReason: 'lunch' });
  await TCCC.Agent.setStatus({ status: 'StopNotReady' });
  const mics: MediaDeviceInfo[] = await TCCC.Devices.getMicrophones();
  const ok: boolean = TCCC.Devices.isBrowserSupported();
  TCCC.UI.showfloatButton(); TCCC.UI.hideWorkbench();
  const init = await TCCC.init({ userId: 'a', password: 'b', layout: 'page' });
  if (init.status === 'success') console.log(init.data.name);
  TCCC.off('message');
  const placed = await TCCC.Call.startInternalCall({ calleeUserId: 'bob' });
  if (placed.status === 'success') {
    const id: string = placed.data.sessionId;
    await TCCC.Call.hold({ sessionId: id });
    const muted: boolean = TCCC.Call.isMicMuted({ sessionId: id });
    await TCCC.Call.sendDigits({ sessionId: id, dtmfText: '12#' });
    const stats = await TCCC.debug.callStats(id);
    if (stats) console.log(stats.inboundBytes, stats.path, muted);
    await TCCC.Call.hungUp({ sessionId: id });
  }
  TCCC.on('calloutAccepted', (e) => console.log(e.sessionId));
  TCCC.on('callOuted', (e) => console.log(e.calleeUserId, e.type, e.calleePhoneNumber));
  const dialled = await TCCC.Call.startOutboundCall({ phoneNumber: '+4917012345', phoneDesc: 'Ms Weber' });
  if (dialled.status === 'success') console.log(dialled.data.sessionId, dialled.data.calleePhoneNumber, dialled.data.callerPhoneNumber);
  TCCC.on('digitsReceived', (d) => console.log(d.sessionId, d.digits.length));
  TCCC.on('sessionEnded', (e) => { if (e.endStatus === 'busy') console.log('busy'); });
  await TCCC.Video.accept({ sessionId: 's-2' });
  await TCCC.Video.muteVideo({ sessionId: 's-2' });
  await TCCC.Devices.setMicrophone(mics[0].deviceId);
  window.SwitchboardChat?.call({ video: true });
  const phase = window.SwitchboardChat?.callState().phase;
  console.log(phase);
  window.SwitchboardChat?.open();
  const targets = await TCCC.Agent.getTransferTargets({ sessionId: 's-1' });
  if (targets.status === 'success') {
    const group: TCCC.TransferSkillGroup = targets.data.skillGroups[0];
    const colleague = targets.data.agents.filter((a) => a.available !== false)[0];
    console.log(group.waiting, group.membersOnline, colleague.userId, colleague.status, colleague.why);
  }
  await TCCC.Agent.getTransferTargets();
  const groups = await tccc.Admin.getSkillGroups();
  if (groups.status === 'success') console.log(groups.data.map((g) => g.skillGroupName + g.skillGroupId));
  await TCCC.Call.deleteCall({ sessionId: 's-1' });
  await TCCC.Call.startInternalCall({ calleeUserId: 'bob', useMobile: false });
  const overridden = tccc.overrideButtonConfig((config) =>
    config.map((button) => (button.type === 'holdToggle' ? { ...button, disabled: true } : button)));
  if (overridden.status === 'error') console.log(overridden.errorMsg);
  tccc.overrideButtonConfig((config) => { console.log(config[0].text, config[0].note); });
  tccc.overrideButtonConfig(() => [{ type: 'showKeyboard', text: 'Dial keys' }]);
  TCCC.on('callOuted', (placed) => console.log(placed.uui, placed.callerPhoneNumber, placed.remark, placed.serverType, placed.placedBy === 'serverAPI'));
  console.log(TCCC.getState().ui.button);
  console.log(s, mics, ok);
  // @ts-expect-error unknown event names are refused
  TCCC.on('nope', () => {});
  // @ts-expect-error button types are TCCC's
  tccc.overrideButtonConfig(() => [{ type: 'conference' }]);
  // @ts-expect-error sessionId is required
  TCCC.Chat.end({});
  // @ts-expect-error the only option is sessionId
  TCCC.Agent.getTransferTargets({ userId: 'bob' });
}
demo();
