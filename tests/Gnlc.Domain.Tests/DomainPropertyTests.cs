using System.Globalization;
using CsCheck;
using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

/// <summary>
/// Property-based tests of the domain rules (CsCheck): random sequences of operations by mayors, a National
/// Commission, the Coordination Team and the clock on one period, one commission and up to seven cities,
/// with notices delivered between the states as the grains' outboxes deliver them (and old ones delivered
/// again). After every step the invariants hold: the quota, the status graph, memberSince on admission,
/// consistent counts; a refused operation changes nothing.
/// </summary>
public sealed class DomainPropertyTests
{
    /// <summary>Random sequences per property (each of 10 to 150 operations).</summary>
    public const int Sequences = 3000;

    private const string Country = "ie";
    private static readonly Actor Commission = Actor.Commission("IE");

    private static readonly HashSet<(ApplicationStatus From, ApplicationStatus To)> Allowed =
    [
        (ApplicationStatus.Draft, ApplicationStatus.Submitted),
        (ApplicationStatus.Submitted, ApplicationStatus.Endorsed),
        (ApplicationStatus.Submitted, ApplicationStatus.NotEndorsed),
        (ApplicationStatus.Endorsed, ApplicationStatus.Submitted),
        (ApplicationStatus.Endorsed, ApplicationStatus.Forwarded),
        (ApplicationStatus.Endorsed, ApplicationStatus.NotEndorsed),
        (ApplicationStatus.Forwarded, ApplicationStatus.Admitted),
        (ApplicationStatus.Forwarded, ApplicationStatus.Declined),
    ];

    private enum Kind
    {
        SaveDraft,
        MayorEndorses,
        Submit,
        Endorse,
        Withdraw,
        Forward,
        Advance,
        Admit,
        Decline,
        Redeliver,
        ForeignCommissionEndorses,
    }

    private sealed record Op(Kind Kind, int City, int Amount)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind}({City},{Amount})");
    }

    private static readonly Gen<Op> GenOp = Gen.Select(
        Gen.Frequency(
            (4, Gen.Const(Kind.SaveDraft)), (4, Gen.Const(Kind.MayorEndorses)), (5, Gen.Const(Kind.Submit)),
            (6, Gen.Const(Kind.Endorse)), (2, Gen.Const(Kind.Withdraw)), (2, Gen.Const(Kind.Forward)),
            (3, Gen.Const(Kind.Advance)), (3, Gen.Const(Kind.Admit)), (1, Gen.Const(Kind.Decline)),
            (2, Gen.Const(Kind.Redeliver)), (1, Gen.Const(Kind.ForeignCommissionEndorses))),
        Gen.Int[0, 6],
        Gen.Int[1, 40],
        (kind, city, amount) => new Op(kind, city, amount));

    private static readonly Gen<(int Quota, int Cities, Op[] Ops)> GenWorld =
        Gen.Select(Gen.Int[1, 4], Gen.Int[2, 7], GenOp.Array[10, 150]);

    [Fact]
    public void Random_sequences_keep_every_invariant() =>
        GenWorld.Sample(
            world => new World(world.Quota, world.Cities).Run(world.Ops),
            iter: Sequences,
            seed: null);

    [Fact]
    public void Random_interleavings_of_endorsements_never_exceed_the_quota() =>
        Gen.Select(Gen.Int[1, 4], Gen.Int[4, 7], Gen.Int[0, 6].Array[5, 60]).Sample(
            world =>
            {
                var (quota, count, order) = world;
                var schedule = Schedule(quota: quota);
                var cities = Enumerable.Range(0, count).Select(i => "ie-c" + (char)('a' + i)).ToArray();
                var state = CommissionWith(schedule, Country, cities);
                foreach (var pick in order)
                {
                    var city = cities[pick % count];
                    var before = CommissionRules.EndorsedCount(state.Periods[schedule.PeriodId]);
                    try
                    {
                        state = pick % 3 == 2 && before > 0
                            ? CommissionRules.Withdraw(state, Country, Commission, schedule.PeriodId, city, Now)
                            : CommissionRules.Endorse(state, Country, Commission, schedule.PeriodId, city, Now);
                    }
                    catch (DomainException refused)
                    {
                        Assert.True(refused.Code == ErrorCodes.QuotaExceeded, refused.Code);
                        Assert.Equal(quota, before);
                    }

                    Assert.InRange(CommissionRules.EndorsedCount(state.Periods[schedule.PeriodId]), 0, quota);
                }
            },
            iter: Sequences);

    /// <summary>One commission, one period and its cities, evolved by the rules; every step checked.</summary>
    private sealed class World
    {
        private readonly PeriodSchedule _schedule;
        private readonly CityState[] _cities;
        private readonly ApplicationState[] _applications;
        private readonly DateTimeOffset?[] _admittedAt;
        private readonly CommissionNotice?[] _lastNotice;
        private readonly int _quota;
        private CommissionState _commission = new();
        private DateTimeOffset _now = Now;

        public World(int quota, int cities)
        {
            _quota = quota;
            _schedule = Schedule(quota: quota);
            _cities = Enumerable.Range(0, cities).Select(i => Candidate("Town " + (char)('a' + i), "IE")).ToArray();
            _applications = new ApplicationState[cities];
            Array.Fill(_applications, new ApplicationState());
            _admittedAt = new DateTimeOffset?[cities];
            _lastNotice = new CommissionNotice?[cities];
        }

        public void Run(IEnumerable<Op> ops)
        {
            var step = 0;
            foreach (var op in ops)
            {
                var before = _applications.Select(a => a.Status).ToArray();
                var versions = _applications.Select(a => a.Version).ToArray();
                Apply(op with { City = op.City % _cities.Length });
                Check($"step {step++} {op}", before, versions);
            }
        }

        private void Apply(Op op)
        {
            var i = op.City;
            var city = _cities[i];
            var mayor = Actor.Mayor(city.Id);
            var snapshot = (_commission, _applications[i], _cities[i]);
            try
            {
                switch (op.Kind)
                {
                    case Kind.SaveDraft:
                        _applications[i] = ApplicationRules.SaveDraft(
                            _applications[i], _schedule.PeriodId, View(city), mayor, CompleteForm(1000 + op.Amount), _schedule, _now);
                        break;
                    case Kind.MayorEndorses:
                        _applications[i] = ApplicationRules.EndorseAsMayor(_applications[i], mayor, "Endorsed.", _now);
                        break;
                    case Kind.Submit:
                    {
                        var next = ApplicationRules.Submit(_applications[i], mayor, _schedule, View(city), _now);
                        if (next.Status == ApplicationStatus.Submitted && _applications[i].Status == ApplicationStatus.Draft)
                        {
                            _commission = CommissionRules.ReceiveSubmission(_commission, Country, next.PendingSubmission!, _now);
                        }

                        _applications[i] = next;
                        break;
                    }

                    case Kind.Endorse:
                        _commission = CommissionRules.Endorse(_commission, Country, Commission, _schedule.PeriodId, city.Id, _now);
                        break;
                    case Kind.Withdraw:
                        _commission = CommissionRules.Withdraw(_commission, Country, Commission, _schedule.PeriodId, city.Id, _now);
                        break;
                    case Kind.Forward:
                        _commission = CommissionRules.Forward(_commission, Country, Commission, _schedule.PeriodId, _now);
                        break;
                    case Kind.Advance:
                        _now = _now.AddDays(op.Amount);
                        _commission = CommissionRules.ProcessDeadlines(_commission, _now);
                        break;
                    case Kind.Admit or Kind.Decline:
                    {
                        var decision = new DecideApplication(op.Kind == Kind.Admit ? Decision.Admit : Decision.Decline, "Reason.");
                        var next = ApplicationRules.Decide(_applications[i], Actor.Coordinator, decision, _schedule.PhaseAt(_now), _now);
                        if (next.Status == ApplicationStatus.Admitted && _applications[i].Status != ApplicationStatus.Admitted)
                        {
                            _cities[i] = CityRules.Admit(_cities[i], next.PendingAdmission!);
                            _admittedAt[i] = next.PendingAdmission!.AdmittedAt;
                        }

                        _applications[i] = next;
                        break;
                    }

                    case Kind.Redeliver:
                        if (_lastNotice[i] is { } old)
                        {
                            var again = ApplicationRules.ApplyCommissionNotice(_applications[i], old);
                            Assert.Equal(_applications[i].Status, again.Status);
                            Assert.Equal(_applications[i].Version, again.Version);
                        }

                        break;
                    case Kind.ForeignCommissionEndorses:
                        _commission = CommissionRules.Endorse(_commission, Country, Actor.Commission("FR"), _schedule.PeriodId, city.Id, _now);
                        Assert.Fail("A commission endorsed for another country.");
                        break;
                }
            }
            catch (DomainException)
            {
                // A refusal changes nothing (the rules are pure: the states are those from before the call).
                Assert.Same(snapshot._commission, _commission);
                Assert.Same(snapshot.Item2, _applications[i]);
                Assert.Same(snapshot.Item3, _cities[i]);
            }

            Deliver();
        }

        /// <summary>The commission's outbox: each application receives its latest notice, then the outbox is empty.</summary>
        private void Deliver()
        {
            foreach (var notice in _commission.PendingNotices.Values)
            {
                var i = Array.FindIndex(_cities, c => c.Id == notice.CityId);
                _applications[i] = ApplicationRules.ApplyCommissionNotice(_applications[i], notice);
                _lastNotice[i] = notice;
            }

            _commission = _commission with { PendingNotices = PersistedCollections.EmptyMap<string, CommissionNotice>() };
        }

        private void Check(string step, ApplicationStatus[] before, long[] versions)
        {
            var period = _commission.Periods.GetValueOrDefault(_schedule.PeriodId);
            var endorsed = period is null ? 0 : CommissionRules.EndorsedCount(period);
            Assert.True(endorsed <= _quota, $"{step}: {endorsed} endorsements over the quota {_quota}");
            var submitted = 0;
            for (var i = 0; i < _cities.Length; i++)
            {
                var application = _applications[i];
                var from = before[i];
                var to = application.Status;
                Assert.True(from == to || Allowed.Contains((from, to)), $"{step}: city {i} went {from} → {to}");
                Assert.True(application.Version >= versions[i], $"{step}: city {i}'s application version went back");

                var city = _cities[i];
                Assert.True(city.MemberSince == _admittedAt[i], $"{step}: city {i} memberSince {city.MemberSince} but admitted at {_admittedAt[i]}");
                Assert.True((city.Status == CityStatus.Member) == (to == ApplicationStatus.Admitted), $"{step}: city {i} is {city.Status}, its application {to}");

                if (application.Created && to != ApplicationStatus.Draft)
                {
                    submitted++;
                    var entry = period?.Applications.GetValueOrDefault(city.Id);
                    Assert.True(entry is not null, $"{step}: city {i}'s submitted application is unknown to its commission");
                    var expected = to is ApplicationStatus.Admitted or ApplicationStatus.Declined ? ApplicationStatus.Forwarded : to;
                    Assert.True(entry.Status == expected, $"{step}: city {i}: commission says {entry.Status}, application {to}");
                }
            }

            Assert.Equal(submitted, period?.Applications.Count ?? 0);
            var inQuota = _applications.Count(a => a.Status is ApplicationStatus.Endorsed or ApplicationStatus.Forwarded or ApplicationStatus.Admitted or ApplicationStatus.Declined);
            Assert.True(inQuota <= _quota, $"{step}: {inQuota} applications endorsed over the quota {_quota}");
            Assert.Equal(_applications.Count(a => a.Status == ApplicationStatus.Admitted), _cities.Count(c => c.MemberSince is not null));
        }
    }
}
