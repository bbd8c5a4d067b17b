using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Demo;

/// <summary>
/// The demo organisation: the six NHS Highland value-management teams named in the published
/// accounts (domain.md), in three services of one board, with people in every role. People's ids
/// are fixed, and include the test users of the bot's tests (Sister Jones, Ravi Patel, Dana Moss,
/// Ali Grant), so a developer can try every role against the demo data.
/// </summary>
public static class DemoOrganisation
{
    public const string Board = "nhs-highland";
    public const string MedicalSpecialties = "medical-specialties";
    public const string WomenAndChildren = "women-and-children";
    public const string MentalHealth = "mental-health";

    public const string Respiratory = "inpatient-respiratory";
    public const string CardioEndocrine = "cardio-endocrine";
    public const string ChildrensWard = "childrens-ward";
    public const string Morar = "new-craigs-morar";
    public const string CathLab = "cath-lab";
    public const string SleepService = "sleep-service";

    /// <summary>The test users (tests/ValueManagement.Testing, TestUser).</summary>
    public static class People
    {
        public const string SisterJones = "11111111-1111-1111-1111-111111111111";
        public const string RaviPatel = "22222222-2222-2222-2222-222222222222";
        public const string DanaMoss = "33333333-3333-3333-3333-333333333333";
        public const string AliGrant = "44444444-4444-4444-4444-444444444444";
    }

    public static MeasureSet InpatientPsychiatry { get; } = new("inpatient-psychiatry", "Inpatient psychiatry",
        DefaultMeasureSets.AcuteWard.Measures
            .Select(m => m.Key == "costPerPatientWeek" ? m with { Target = 1000 } : m)
            .ToList());

    public static MeasureSet CathLabSet { get; } = Clinic("cath-lab", "Cardiac catheter laboratory", costTarget: 1250,
    [
        new MeasureDefinition
        {
            Key = "sameDayDischarge", Name = "Same-day discharge after a procedure", Unit = MeasureUnit.Percent,
            Category = MeasureCategory.Activity, Direction = MeasureDirection.HigherIsBetter,
            Target = 70, AmberTolerance = 10, Decimals = 0, Min = 0, Max = 100,
        },
        new MeasureDefinition
        {
            Key = "onCallHours", Name = "On-call hours worked", Unit = MeasureUnit.Hours,
            Category = MeasureCategory.Capacity, Direction = MeasureDirection.Neither,
            Decimals = 1, Min = 0, Max = 300,
        },
    ]);

    public static MeasureSet SleepServiceSet { get; } = Clinic("sleep-service", "Sleep service", costTarget: 52,
    [
        new MeasureDefinition
        {
            Key = "waitingOver12Weeks", Name = "Patients waiting over 12 weeks", Unit = MeasureUnit.Count,
            Category = MeasureCategory.Performance, Direction = MeasureDirection.LowerIsBetter,
            Target = 0, AmberTolerance = 10, IsInteger = true, Min = 0, Max = 2000, IsRequired = true,
        },
        new MeasureDefinition
        {
            Key = "remoteReviews", Name = "CPAP reviews done remotely", Unit = MeasureUnit.Percent,
            Category = MeasureCategory.Activity, Direction = MeasureDirection.HigherIsBetter,
            Target = 50, AmberTolerance = 10, Decimals = 0, Min = 0, Max = 100,
        },
    ]);

    public static TeamSetupDocument Setup { get; } = new(
        [new Board(Board, "NHS Highland")],
        [
            new Service(MedicalSpecialties, "Medical specialties", Board),
            new Service(MentalHealth, "Mental health", Board),
            new Service(WomenAndChildren, "Women and children's services", Board),
        ],
        [CathLabSet, InpatientPsychiatry, SleepServiceSet],
        [
            Team(Respiratory, "Inpatient respiratory", ["ward 7", "respiratory", "resp"], MedicalSpecialties, DefaultMeasureSets.AcuteWard.Id, promptDataLeads: true),
            Team(CardioEndocrine, "Cardio-endocrine", ["cardio", "endocrine", "cardio endo"], MedicalSpecialties, DefaultMeasureSets.AcuteWard.Id),
            Team(CathLab, "Cath lab", ["cardiac cath lab", "catheter laboratory", "cath"], MedicalSpecialties, CathLabSet.Id),
            Team(SleepService, "Sleep service", ["sleep", "sleep clinic"], MedicalSpecialties, SleepServiceSet.Id),
            Team(Morar, "New Craigs Morar", ["morar", "new craigs", "inpatient psychiatry"], MentalHealth, InpatientPsychiatry.Id),
            Team(ChildrensWard, "Children's ward", ["paediatrics", "paeds", "children"], WomenAndChildren, DefaultMeasureSets.AcuteWard.Id),
        ],
        [
            .. MemberAndDataLead(People.SisterJones, "Sister Jones", Respiratory),
            .. MemberAndDataLead("a1b2c3d4-0000-4000-8000-000000000001", "Charge Nurse Mackenzie", CardioEndocrine),
            .. MemberAndDataLead("a1b2c3d4-0000-4000-8000-000000000002", "Sister Fraser", ChildrensWard),
            .. MemberAndDataLead("a1b2c3d4-0000-4000-8000-000000000003", "Charge Nurse Munro", Morar),
            .. MemberAndDataLead("a1b2c3d4-0000-4000-8000-000000000004", "Gillian Ross", CathLab),
            .. MemberAndDataLead("a1b2c3d4-0000-4000-8000-000000000005", "Euan Matheson", SleepService),
            new RoleAssignment("a1b2c3d4-0000-4000-8000-000000000010", "Staff Nurse Bain", Role.Member, RoleScopeKind.Team, Respiratory),
            .. new[] { Respiratory, CardioEndocrine, CathLab, SleepService }.Select(team => new RoleAssignment(People.RaviPatel, "Ravi Patel", Role.Coach, RoleScopeKind.Team, team)),
            .. new[] { ChildrensWard, Morar }.Select(team => new RoleAssignment("a1b2c3d4-0000-4000-8000-000000000006", "Morag Campbell", Role.Coach, RoleScopeKind.Team, team)),
            new RoleAssignment(People.DanaMoss, "Dana Moss", Role.Manager, RoleScopeKind.Service, MedicalSpecialties),
            new RoleAssignment("a1b2c3d4-0000-4000-8000-000000000008", "Fiona Urquhart", Role.Manager, RoleScopeKind.Service, MentalHealth),
            new RoleAssignment("a1b2c3d4-0000-4000-8000-000000000009", "Kirsty Sutherland", Role.Manager, RoleScopeKind.Service, WomenAndChildren),
            new RoleAssignment("a1b2c3d4-0000-4000-8000-000000000007", "Iain MacLeod", Role.Manager, RoleScopeKind.Board, Board),
            new RoleAssignment(People.AliGrant, "Ali Grant", Role.Admin, RoleScopeKind.Everywhere, null),
        ]);

    private static TeamProfile Team(string id, string name, IReadOnlyList<string> aliases, string service, string measureSet, bool promptDataLeads = false) => new()
    {
        Id = id,
        Name = name,
        Aliases = aliases,
        ServiceId = service,
        MeasureSetId = measureSet,
        PromptDataLeadsInPersonalChat = promptDataLeads,
    };

    private static RoleAssignment[] MemberAndDataLead(string person, string name, string team) =>
    [
        new(person, name, Role.Member, RoleScopeKind.Team, team),
        new(person, name, Role.DataLead, RoleScopeKind.Team, team),
    ];

    /// <summary>A clinic or procedure service: patients seen rather than admitted, no beds.</summary>
    private static MeasureSet Clinic(string id, string name, double costTarget, IReadOnlyList<MeasureDefinition> extra)
    {
        MeasureDefinition Count(string key, string label, double target, double tolerance) => new()
        {
            Key = key, Name = label, Unit = MeasureUnit.Count, Category = MeasureCategory.Performance,
            Direction = MeasureDirection.LowerIsBetter, Target = target, AmberTolerance = tolerance,
            IsInteger = true, Min = 0, Max = 50, IsRequired = true,
        };
        MeasureDefinition Pounds(string key, string label, MeasureSource source, string? formula) => new()
        {
            Key = key, Name = label, Unit = MeasureUnit.Pounds, Category = MeasureCategory.Cost,
            Direction = MeasureDirection.LowerIsBetter, Source = source, Formula = formula,
            Min = source == MeasureSource.Derived ? null : 0, Max = source == MeasureSource.Derived ? null : 1_000_000,
        };
        var acute = DefaultMeasureSets.AcuteWard;
        var measures = new List<MeasureDefinition>
        {
            Count("clinicalIncidents", "Clinical incidents", target: 0, tolerance: 1),
            Count("complaints", "Complaints", target: 0, tolerance: 1),
            new()
            {
                Key = "dnaRate", Name = "Did not attend", Unit = MeasureUnit.Percent,
                Category = MeasureCategory.Performance, Direction = MeasureDirection.LowerIsBetter,
                Target = 5, AmberTolerance = 2, Decimals = 1, Min = 0, Max = 100, IsRequired = true,
            },
            acute["sicknessAbsence"],
            acute["bankHours"] with { Target = 40, AmberTolerancePercent = 25 },
            acute["agencyHours"] with { AmberTolerance = 8 },
            acute["vacanciesWte"] with { Target = 1, AmberTolerance = 0.5 },
            Pounds("payCost", "Pay cost", MeasureSource.Imported, null),
            Pounds("nonPayCost", "Non-pay cost", MeasureSource.Imported, null),
            Pounds("totalCost", "Total cost", MeasureSource.Derived, "payCost + nonPayCost"),
            Pounds("costPerPatientWeek", "Cost per patient per week", MeasureSource.Derived, "totalCost / patientsSeen") with
            {
                Decimals = 2, Target = costTarget, AmberTolerancePercent = 5,
            },
            new()
            {
                Key = "patientsSeen", Name = "Patients seen", Unit = MeasureUnit.Count,
                Category = MeasureCategory.Activity, Direction = MeasureDirection.HigherIsBetter,
                IsInteger = true, Min = 0, Max = 2000, IsRequired = true,
            },
        };
        foreach (var measure in extra)
        {
            // Keep the card's order: performance, capacity, cost, activity.
            var at = measures.FindLastIndex(m => m.Category <= measure.Category) + 1;
            measures.Insert(at, measure);
        }
        return new MeasureSet(id, name, measures);
    }
}
