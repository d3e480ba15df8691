/*
 * Switchboard call monitoring, the agent's side (docs/calls.md, "Listening in"): a supervisor
 * listens in on a call this tab has the media of, whispers to the agent, or barges in.
 *
 * No media passes through the server: this tab is the hub. It opens a second WebRTC connection
 * to the supervisor's page and sends it both sides of the call as two audio tracks (the
 * customer's, as received, and the agent's microphone). What the supervisor says arrives on
 * the same connection and is
 *   - listen:  not played;
 *   - whisper: played here, so only the agent hears it;
 *   - barge:   played here and mixed (WebAudio) with the agent's microphone into what the call
 *              sends, so the customer hears it too.
 * The mode changes without renegotiating. Loaded by tccc.js when a `monitor` frame arrives.
 *
 *   var link = SwitchboardCallMonitor.open({ call, mode, iceServers, iceTransportPolicy, send });
 *   link.handle(signal); link.setMode('barge'); link.close(); link.stats().then(...)
 */
(function () {
  'use strict';
  if (window.SwitchboardCallMonitor) return;

  function Link(options) {
    this.call = options.call;            // the monitored call (call-media.js)
    this.send = options.send;            // monitorSignal to the supervisor's page
    this.mode = options.mode;
    this.closed = false;
    this.supervisorStream = null;
    this.audio = null;                   // plays the supervisor to the agent (whisper, barge)
    this.context = null;                 // WebAudio, for barge only
    this.bargeTrack = null;              // the mix the call sends while barging
    this.micTrack = null;                // the microphone track the call sent before barging
    var self = this;
    var pc = new RTCPeerConnection({ iceServers: options.iceServers || [], iceTransportPolicy: options.iceTransportPolicy || 'all' });
    this.pc = pc;
    // Two audio senders, the customer's and the agent's, whose tracks follow the call's
    // (refresh()): a remote track that arrives later, a microphone switched mid-call.
    this.customerSender = pc.addTransceiver('audio', { direction: 'sendrecv' }).sender;
    this.agentSender = pc.addTransceiver('audio', { direction: 'sendonly' }).sender;
    this.remoteCandidates = [];          // the supervisor's, until its answer is set
    this.refresh();
    pc.onicecandidate = function (event) {
      var c = event.candidate;
      self.send({ kind: 'candidate', candidate: c ? c.toJSON() : { candidate: '' } });
    };
    pc.ontrack = function (event) {
      self.supervisorStream = event.streams[0] || new MediaStream([event.track]);
      self.apply();
    };
    pc.createOffer().then(function (offer) { return pc.setLocalDescription(offer); }).then(function () {
      if (!self.closed) self.send({ kind: 'offer', sdp: pc.localDescription.sdp });
    }).catch(function (error) { console.warn('[Switchboard] could not offer to the supervisor', error); });
  }

  /** Sends the call's current tracks: the customer's as received, the agent's microphone. */
  Link.prototype.refresh = function () {
    if (this.closed) return;
    var customer = this.call.remoteStream.getAudioTracks()[0] || null;
    var agent = this.call.localStream ? this.call.localStream.getAudioTracks()[0] || null : null;
    if (this.customerSender.track !== customer) this.customerSender.replaceTrack(customer).catch(function () {});
    if (this.agentSender.track !== agent) this.agentSender.replaceTrack(agent).catch(function () {});
  };

  /** The supervisor's answer and candidates (candidates that come first wait for the answer). */
  Link.prototype.handle = function (signal) {
    if (this.closed || !signal) return Promise.resolve();
    var pc = this.pc;
    var self = this;
    if (signal.kind === 'answer') {
      return pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp }).then(function () {
        return Promise.all(self.remoteCandidates.splice(0).map(function (c) { return self.addCandidate(c); }));
      }).catch(function (error) { console.warn('[Switchboard] could not use the supervisor\'s answer', error); });
    }
    if (signal.kind === 'candidate' && signal.candidate && signal.candidate.candidate) {
      if (!pc.remoteDescription) { this.remoteCandidates.push(signal.candidate); return Promise.resolve(); }
      return this.addCandidate(signal.candidate);
    }
    return Promise.resolve();
  };

  Link.prototype.addCandidate = function (candidate) {
    return this.pc.addIceCandidate(candidate).catch(function (error) { console.warn('[Switchboard] ignored a candidate', error); });
  };

  Link.prototype.setMode = function (mode) {
    this.mode = mode;
    this.apply();
  };

  /** Plays the supervisor here (whisper, barge) and mixes them into the call (barge). */
  Link.prototype.apply = function () {
    if (this.closed) return;
    var hear = this.mode === 'whisper' || this.mode === 'barge';
    if (this.supervisorStream && hear && !this.audio) {
      var audio = document.createElement('audio');
      audio.autoplay = true;
      audio.srcObject = this.supervisorStream;
      audio.style.display = 'none';
      (document.body || document.documentElement).appendChild(audio);
      var played = audio.play();
      if (played && played.catch) played.catch(function () { /* autoplay refused: plays on the next click */ });
      this.audio = audio;
    }
    if (this.audio) this.audio.muted = !hear;
    if (this.mode === 'barge') this.startBarge(); else this.stopBarge();
  };

  /** The call's audio sender, and the microphone track it sends (or, on hold, will send again:
   *  call-media.js keeps it in __switchboardTrack while the sender carries nothing). */
  Link.prototype.callSender = function () {
    var pc = this.call.pc;
    if (!pc) return null;
    return pc.getSenders().filter(function (sender) {
      var track = sender.track || sender.__switchboardTrack;
      return track && track.kind === 'audio';
    })[0] || null;
  };

  Link.prototype.startBarge = function () {
    if (this.bargeTrack || !this.supervisorStream) return;
    var sender = this.callSender();
    if (!sender) return;
    var microphone = sender.track || sender.__switchboardTrack;
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    var context = this.context || (this.context = new Context());
    if (context.state === 'suspended') context.resume().catch(function () {});
    var mix = context.createMediaStreamDestination();
    context.createMediaStreamSource(new MediaStream([microphone])).connect(mix);
    context.createMediaStreamSource(this.supervisorStream).connect(mix);
    this.micTrack = microphone;
    this.bargeTrack = mix.stream.getAudioTracks()[0];
    if (!sender.track) { sender.__switchboardTrack = this.bargeTrack; return; } // on hold: sent after it
    sender.replaceTrack(this.bargeTrack).catch(function (error) { console.warn('[Switchboard] could not barge in', error); });
  };

  Link.prototype.stopBarge = function () {
    if (!this.bargeTrack) return;
    var pc = this.call.pc;
    var bargeTrack = this.bargeTrack, micTrack = this.micTrack;
    if (pc) {
      pc.getSenders().forEach(function (sender) {
        if (sender.track === bargeTrack) sender.replaceTrack(micTrack).catch(function () {});
        // On hold, call-media.js keeps the track to send again after the hold.
        if (sender.__switchboardTrack === bargeTrack) sender.__switchboardTrack = micTrack;
      });
    }
    bargeTrack.stop();
    this.bargeTrack = null;
    this.micTrack = null;
    if (this.context) { this.context.close().catch(function () {}); this.context = null; }
  };

  Link.prototype.close = function () {
    if (this.closed) return;
    this.stopBarge();
    this.closed = true;
    try { this.pc.close(); } catch (error) { /* closed */ }
    if (this.audio) { this.audio.srcObject = null; this.audio.remove(); this.audio = null; }
  };

  /** For tests and diagnostics: {mode, state, inboundBytes, outboundBytes, barging}. */
  Link.prototype.stats = function () {
    var self = this;
    var result = { mode: this.mode, state: this.pc.connectionState, inboundBytes: 0, outboundBytes: 0, barging: !!this.bargeTrack,
      agentHears: !!this.audio && !this.audio.muted,
      callSendsBarge: !!this.bargeTrack && !!this.call.pc && this.call.pc.getSenders().some(function (s) { return s.track === self.bargeTrack; }) };
    return this.pc.getStats().then(function (report) {
      report.forEach(function (entry) {
        if (entry.type === 'inbound-rtp') result.inboundBytes += entry.bytesReceived || 0;
        if (entry.type === 'outbound-rtp') result.outboundBytes += entry.bytesSent || 0;
      });
      return result;
    });
  };

  window.SwitchboardCallMonitor = {
    /** Starts the link: offers to the supervisor's page at once. */
    open: function (options) { return new Link(options); }
  };
})();
